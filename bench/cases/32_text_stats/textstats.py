"""Readability statistics for short texts."""

import re
from collections import Counter

WORD = re.compile(r"[A-Za-z']+")


def words(text: str) -> list[str]:
    """Lowercased words of ``text``."""
    return [word.lower() for word in WORD.findall(text)]


def word_count(text: str) -> int:
    """Number of words."""
    return len(words(text))


def sentence_count(text: str) -> int:
    """Number of sentences ended by ., ! or ? (a trailing fragment counts too)."""
    pieces = re.split(r"[.!?]+", text)
    return len(pieces)


def average_word_length(text: str) -> float:
    """Mean word length in letters, 0.0 for no words."""
    found = words(text)
    return sum(len(word) for word in found) / len(found) if found else 0.0


def most_common_word(text: str) -> str | None:
    """The most frequent word (the first seen on ties), None for no words."""
    counts = Counter(words(text))
    return counts.most_common(1)[0][0] if counts else None
