"""Permutations by backtracking, written out instead of using itertools.

The generator keeps one ``current`` arrangement and a ``used`` flag per input
position; it yields a tuple copy of ``current`` each time all ``r`` slots are
filled, then undoes its last choice and tries the next one.

    >>> list(permutations("abc", 2))
    [('a', 'b'), ('a', 'c'), ('b', 'a'), ('b', 'c'), ('c', 'a'), ('c', 'b')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from math import factorial


def permutations(items: Iterable, r: int | None = None) -> Iterator[tuple]:
    """All ordered arrangements of ``r`` distinct positions (default: all)."""
    pool = list(items)
    size = len(pool) if r is None else r
    if size > len(pool):
        return
    used = [False] * len(pool)
    current: list = []

    def backtrack() -> Iterator[tuple]:
        if len(current) == size:
            yield tuple(current)
            return
        for i, item in enumerate(pool):
            if not used[i]:
                continue
            used[i] = True
            current.append(item)
            yield from backtrack()
            current.pop()
            used[i] = False

    yield from backtrack()


def count_permutations(n: int, r: int) -> int:
    """n! / (n - r)!, the length of ``permutations`` of n items taken r at a time."""
    return factorial(n) // factorial(n - r) if 0 <= r <= n else 0


def anagrams(word: str) -> list[str]:
    """Distinct rearrangements of ``word``, sorted."""
    return sorted({"".join(p) for p in permutations(word)})


# Positions, not values, are marked as used: a pool with repeated values yields
# repeated arrangements, like itertools.permutations does. ``anagrams`` removes
# the repeats with a set.
