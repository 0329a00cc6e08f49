"""Lexicographic order of arrangements: next, previous rank, full listing.

Works on any list of comparable values, repeated values included, e.g. to step
through all distinct orderings of a multiset without generating duplicates.
"""

from __future__ import annotations

from math import factorial


def next_permutation(seq: list) -> list | None:
    """The next arrangement in lexicographic order, or None after the last.

    1. Find the rightmost i with seq[i] < seq[i + 1] (the pivot).
    2. Swap it with the rightmost element greater than it.
    3. Reverse everything after position i.
    """
    items = list(seq)
    i = len(items) - 2
    while i >= 0 and items[i] > items[i + 1]:
        i -= 1
    if i < 0:
        return None
    j = len(items) - 1
    while items[j] <= items[i]:
        j -= 1
    items[i], items[j] = items[j], items[i]
    items[i + 1 :] = reversed(items[i + 1 :])
    return items


def all_in_order(seq: list) -> list[list]:
    """Every distinct arrangement of ``seq``, in lexicographic order."""
    current: list | None = sorted(seq)
    found = []
    while current is not None:
        found.append(current)
        current = next_permutation(current)
    return found


def rank(seq: list) -> int:
    """0-based position of ``seq`` among the orderings of its (distinct) items."""
    position = 0
    rest = sorted(seq)
    for value in seq:
        index = rest.index(value)
        position += index * factorial(len(rest) - 1)
        rest.pop(index)
    return position


# Note: ``rank`` assumes distinct items; with repeats use all_in_order(seq).index.
