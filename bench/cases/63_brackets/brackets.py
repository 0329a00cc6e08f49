"""Bracket matching for (), [] and {}, with error positions for editors."""

from __future__ import annotations

PAIRS = {")": "(", "]": "[", "}": "{"}
OPENERS = set(PAIRS.values())


def max_depth(text: str) -> int:
    """Deepest nesting level reached (the text is assumed balanced)."""
    depth = deepest = 0
    for char in text:
        if char in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in PAIRS:
            depth -= 1
    return deepest


def first_error(text: str) -> int | None:
    """Index of the first bracket that breaks the nesting, or None if fine.

    A closer with no matching opener is reported where it stands; an opener
    that is never closed is reported at its own position (the outermost one
    if several stay open).
    """
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(text):
        if char in OPENERS:
            stack.append((char, index))
        elif char in PAIRS:
            if stack and stack[-1][0] != PAIRS[char]:
                return index
            stack.pop()
    return stack[0][1] if stack else None


def is_balanced(text: str) -> bool:
    return first_error(text) is None


# Other characters are ignored, so the checker runs on source code or JSON as
# is; brackets inside string literals are not special-cased.
