"""The function around a line, found in the text without parsing.

Code actions are listed on every cursor move and must answer at once, even for a large
file that does not parse (the user is mid-edit): the nearest ``def`` above the line that
is indented less than the line is the function it belongs to. It names the action and
points the model at it; the tests, not this guess, decide whether a fix is right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DEF = re.compile(r"^([ \t]*)(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)")
MAX_SCAN = 5000  # lines looked at above the cursor


@dataclass(frozen=True)
class Enclosing:
    name: str
    line: int  # 0-based line of its ``def``


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def enclosing_function(lines: Sequence[str], line: int) -> Enclosing | None:
    """The innermost function whose body (or ``def`` line) holds ``line`` (0-based)."""
    if not 0 <= line < len(lines):
        return None
    current = line
    while current > 0 and not lines[current].strip():  # a blank line belongs to what is above
        current -= 1
    text = lines[current]
    found = DEF.match(text)
    if found:
        return Enclosing(found.group(2), current)
    depth = _indent(text)
    for index in range(current - 1, max(-1, current - MAX_SCAN), -1):
        above = lines[index]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        width = _indent(above)
        if width >= depth:
            continue
        found = DEF.match(above)
        if found:
            return Enclosing(found.group(2), index)
        if width == 0:
            return None  # a module-level statement (a class, an assignment) holds the line
        depth = width
    return None
