"""Palindromes: checks on phrases and longest palindromic substrings."""

from __future__ import annotations


def normalize(text: str) -> str:
    """Lowercase letters and digits only: "A man, a plan" -> "amanaplan"."""
    return "".join(char.lower() for char in text if char.isalnum())


def is_palindrome(text: str) -> bool:
    """Reads the same both ways, ignoring case, spaces and punctuation."""
    cleaned = normalize(text)
    return cleaned == cleaned[::-1]


def _expand(text: str, lo: int, hi: int) -> str:
    """The longest palindrome centred between lo and hi (lo == hi: odd length).

    Both ends move outwards while the characters match; when the loop stops,
    lo and hi are one step past the palindrome on each side.
    """
    while lo >= 0 and hi < len(text) and text[lo] == text[hi]:
        lo -= 1
        hi += 1
    return text[lo:hi]


def longest_palindrome(text: str) -> str:
    """The longest palindromic substring (the leftmost one on ties)."""
    best = ""
    for center in range(len(text)):
        odd, even = _expand(text, center, center), _expand(text, center, center + 1)
        for candidate in (odd, even):
            if len(candidate) > len(best):
                best = candidate
    return best


def count_palindromes(text: str) -> int:
    """Number of palindromic substrings, counted by position."""
    total = 0
    for center in range(len(text)):
        for lo, hi in ((center, center), (center, center + 1)):
            total += (len(_expand(text, lo, hi)) + 1) // 2
    return total


# Expanding around each of the 2n - 1 centres is O(n^2) in the worst case
# ("aaaa...") but needs no extra memory; Manacher's algorithm does it in O(n).
