"""Roman numerals between 1 and 3999."""

from __future__ import annotations

import re

SYMBOLS = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]
VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
CANONICAL = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def to_roman(number: int) -> str:
    """Canonical numeral for 1 <= number <= 3999, e.g. 1994 -> 'MCMXCIV'."""
    if not 1 <= number <= 3999:
        raise ValueError(f"{number} is out of range")
    parts = []
    for value, symbol in SYMBOLS:
        count, number = divmod(number, value)
        parts.append(symbol * count)
    return "".join(parts)


def from_roman(numeral: str) -> int:
    """Value of a numeral; a symbol before a larger one is subtracted."""
    numeral = numeral.upper()
    if not numeral or not CANONICAL.match(numeral):
        raise ValueError(f"not a canonical roman numeral: {numeral!r}")
    total = 0
    for i, symbol in enumerate(numeral):
        value = VALUES[symbol]
        if i + 1 < len(numeral) and value <= VALUES[numeral[i + 1]]:
            total -= value
        else:
            total += value
    return total


def is_roman(text: str) -> bool:
    return bool(text) and CANONICAL.match(text.upper()) is not None


# Canonical form only: "IIII" or "VX" are rejected rather than guessed at, so
# from_roman(to_roman(n)) == n for every n in range and vice versa.
