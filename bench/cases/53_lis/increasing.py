"""Longest strictly increasing subsequence, in O(n log n) ("patience sorting").

``tails[k]`` holds the smallest possible last value of an increasing
subsequence of length k + 1 seen so far. Each new value either extends the
longest one or replaces the first tail that is not smaller than it.
"""

from __future__ import annotations

from bisect import bisect_right


def lis_length(values: list[int]) -> int:
    """Length of a longest strictly increasing subsequence."""
    tails: list[int] = []
    for value in values:
        pos = bisect_right(tails, value)
        if pos == len(tails):
            tails.append(value)
        else:
            tails[pos] = value
    return len(tails)


def longest_increasing(values: list[int]) -> list[int]:
    """One longest strictly increasing subsequence (O(n^2), for short lists).

    Among several of the same length, the one ending earliest is returned.
    """
    if not values:
        return []
    length = [1] * len(values)
    before = [-1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value and length[j] + 1 > length[i]:
                length[i] = length[j] + 1
                before[i] = j
    i = length.index(max(length))
    found = []
    while i != -1:
        found.append(values[i])
        i = before[i]
    return found[::-1]


def is_strictly_increasing(values: list[int]) -> bool:
    return lis_length(values) == len(values)
