"""Longest common subsequence (LCS) of two sequences, by dynamic programming.

A subsequence keeps the order of the elements but may skip some: "ace" is a
subsequence of "abcde". The LCS of two sequences is a longest sequence that is
a subsequence of both.

    >>> lcs("ABCBDAB", "BDCABA")
    'BCBA'
    >>> lcs_length("kitten", "sitting")
    4
"""

from __future__ import annotations

from collections.abc import Sequence


def lcs_table(a: Sequence, b: Sequence) -> list[list[int]]:
    """table[i][j] = LCS length of a[:i] and b[:j]; (len(a)+1) x (len(b)+1)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a)):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table


def lcs_length(a: Sequence, b: Sequence) -> int:
    return lcs_table(a, b)[len(a)][len(b)]


def lcs(a: str, b: str) -> str:
    """One longest common subsequence of two strings.

    Walks the table back from the bottom-right corner; on ties it prefers to
    drop a character of ``a``.
    """
    table = lcs_table(a, b)
    i, j = len(a), len(b)
    found: list[str] = []
    while i > 0 and j > 0:
        if a[i - 1] == b[j - 1]:
            found.append(a[i - 1])
            i -= 1
            j -= 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(reversed(found))


def similarity(a: str, b: str) -> float:
    """2 * LCS length / total length: 1.0 for equal strings, 0.0 for disjoint."""
    if not a and not b:
        return 1.0
    return 2 * lcs_length(a, b) / (len(a) + len(b))


# Complexity: O(len(a) * len(b)) time and memory for the full table. Only the
# length needs two rows, but ``lcs`` walks the whole table back, so it is kept.
