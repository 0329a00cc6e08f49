"""Merge sort and friends: a stable O(n log n) sort built on ``merge``.

    >>> merge([1, 4, 9], [2, 3, 10])
    [1, 2, 3, 4, 9, 10]
    >>> merge_sort([5, 2, 4, 2, 1])
    [1, 2, 2, 4, 5]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def merge(left: list, right: list, key: Callable[[Any], Any] = lambda x: x) -> list:
    """Merge two lists sorted by ``key`` into one sorted list.

    On equal keys the element of ``left`` comes first, which is what makes
    merge sort stable.
    """
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        if key(right[j]) < key(left[i]):
            result.append(right[j])
            j += 1
        else:
            result.append(left[i])
            i += 1
    result.extend(left[i:])
    result.extend(right[i:])
    return result


def merge_sort(items: list, key: Callable[[Any], Any] = lambda x: x) -> list:
    """A sorted copy of ``items`` (stable; the input is left alone)."""
    if len(items) <= 1:
        return list(items)
    middle = len(items) // 2
    return merge(merge_sort(items[:middle], key), merge_sort(items[middle:], key), key)


def merge_many(lists: list[list]) -> list:
    """Merge any number of sorted lists, pairwise, like a tournament."""
    if not lists:
        return []
    while len(lists) > 1:
        paired = [merge(lists[i], lists[i + 1]) for i in range(0, len(lists) - 1, 2)]
        if len(lists) % 2:
            paired.append(lists[-1])
        lists = paired
    return lists[0]


# Merging costs len(left) + len(right) comparisons at most; there are log2(n)
# levels of merging, hence O(n log n) overall, in every case.
