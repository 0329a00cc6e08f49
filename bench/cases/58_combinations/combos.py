"""Combinations (order does not matter) by recursive backtracking."""

from __future__ import annotations

from collections.abc import Sequence


def combinations(items: Sequence, k: int) -> list[tuple]:
    """Every choice of ``k`` items, each as a tuple in input order.

    The choices themselves come out in lexicographic order of positions, like
    itertools.combinations.
    """
    chosen: list = []
    found: list[tuple] = []

    def pick(start: int) -> None:
        if len(chosen) == k:
            found.append(tuple(chosen))
            return
        for i in range(start, len(items)):
            chosen.append(items[i])
            pick(start + 1)
            chosen.pop()

    if 0 <= k <= len(items):
        pick(0)
    return found


def subsets_with_sum(numbers: Sequence[int], target: int) -> list[tuple]:
    """All combinations (of any size >= 1) of ``numbers`` adding up to ``target``."""
    return [
        combo
        for size in range(1, len(numbers) + 1)
        for combo in combinations(numbers, size)
        if sum(combo) == target
    ]


def pairs(items: Sequence) -> list[tuple]:
    """Every unordered pair, e.g. the matches of a round-robin tournament."""
    return combinations(items, 2)


# Usage
# -----
#   >>> combinations("abcd", 2)
#   [('a', 'b'), ('a', 'c'), ('a', 'd'), ('b', 'c'), ('b', 'd'), ('c', 'd')]
#   >>> subsets_with_sum([3, 1, 4, 2], 5)
#   [(3, 2), (1, 4)]
