"""Group and count records by a key function."""

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

T = TypeVar("T")


def group_by(items: Iterable[T], key: Callable[[T], Hashable]) -> dict:
    """Map each key to the list of items with that key, in input order."""
    groups: dict = {}
    for item in items:
        groups.get(key(item), []).append(item)
    return groups


def count_by(items: Iterable[T], key: Callable[[T], Hashable]) -> dict:
    """Map each key to the number of items with that key."""
    return {k: len(v) for k, v in group_by(items, key).items()}
