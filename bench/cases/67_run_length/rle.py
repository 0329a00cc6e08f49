"""Run-length encoding of text: "aaabcc" <-> "3a1b2c".

Every run is written as its length followed by the character, even runs of
one, so the format stays unambiguous for any text without digits.
"""

from __future__ import annotations


def runs(text: str) -> list[tuple[str, int]]:
    """(character, run length) pairs, in order."""
    found: list[tuple[str, int]] = []
    if not text:
        return found
    current, count = text[0], 1
    for char in text[1:]:
        if char == current:
            count += 1
        else:
            found.append((current, count))
            current, count = char, 0
    found.append((current, count))
    return found


def encode(text: str) -> str:
    if any(char.isdigit() for char in text):
        raise ValueError("digits cannot be run-length encoded in this format")
    return "".join(f"{count}{char}" for char, count in runs(text))


def decode(encoded: str) -> str:
    """Inverse of :func:`encode`."""
    parts = []
    digits = ""
    for char in encoded:
        if char.isdigit():
            digits += char
        else:
            if not digits:
                raise ValueError(f"missing count before {char!r}")
            parts.append(char * int(digits))
            digits = ""
    if digits:
        raise ValueError("trailing count without a character")
    return "".join(parts)


def compression_ratio(text: str) -> float:
    """len(encoded) / len(text); below 1.0 means the encoding saves space."""
    return len(encode(text)) / len(text) if text else 1.0


# Counts may have several digits ("12a"), so long runs stay compact. Decoding
# does not check that adjacent runs differ: "2a3a" decodes to "aaaaa".
