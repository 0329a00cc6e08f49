"""Substring search with the Knuth-Morris-Pratt algorithm.

The prefix function of a pattern tells, for each position, how long the
longest proper prefix of the pattern is that also ends there. On a mismatch
the search falls back along it instead of re-reading the text, so a search
costs O(len(text) + len(pattern)).
"""

from __future__ import annotations


def prefix_function(pattern: str) -> list[int]:
    """pi[i] = length of the longest proper border of pattern[: i + 1]."""
    pi = [0] * len(pattern)
    k = 0
    for i in range(1, len(pattern)):
        while k > 0 and pattern[i] != pattern[k]:
            k = pi[k - 1]
        if pattern[i] == pattern[k]:
            k += 1
        pi[i] = k
    return pi


def find_all(text: str, pattern: str) -> list[int]:
    """Start index of every (possibly overlapping) occurrence of ``pattern``."""
    if not pattern:
        return list(range(len(text) + 1))
    pi = prefix_function(pattern)
    found = []
    k = 0
    for i, char in enumerate(text):
        while k > 0 and char != pattern[k]:
            k = pi[k - 1]
        if char == pattern[k]:
            k += 1
        if k == len(pattern):
            found.append(i - k)
            k = pi[k - 1]
    return found


def count(text: str, pattern: str) -> int:
    return len(find_all(text, pattern))


def find_first(text: str, pattern: str) -> int:
    """Like str.find: the first index, or -1."""
    hits = find_all(text, pattern)
    return hits[0] if hits else -1


# Example: prefix_function("abacab") == [0, 0, 1, 0, 1, 2]; the final 2 says
# that "ab" is both a prefix and a suffix of "abacab".
