"""Positions as (line, character), in the code units a client counts, and offsets.

Text is held as Python strings (code points); a position's character counts UTF-8 bytes
(``ast`` column offsets, LSP ``utf-8``), UTF-16 units (the LSP default) or code points
(ruff's columns, LSP ``utf-32``). Lines are those of ``source.lines``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum

from agentfix.source.lines import line_starts


class CodeUnits(StrEnum):
    """What a position's character counts; the values are the LSP encoding names."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"


@dataclass(frozen=True)
class Position:
    """0-based line, and character in some ``CodeUnits`` from the line's start."""

    line: int
    character: int


def units(text: str, encoding: CodeUnits) -> int:
    """Length of ``text`` in ``encoding``'s code units."""
    if encoding == CodeUnits.UTF32:
        return len(text)
    if encoding == CodeUnits.UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


class LineIndex:
    """Line start offsets of a text, for converting offsets and positions both ways."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def content_end(self, line: int) -> int:
        """Offset where the line's content ends, i.e. before its line break."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        if end > self.starts[line] and self.text[end - 1] == "\n":
            end -= 1
        if end > self.starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def position(self, offset: int, encoding: CodeUnits) -> Position:
        """Position of a code-point offset (the caller keeps it off CRLF middles)."""
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return Position(line, units(self.text[start:offset], encoding))

    def offset(self, position: Position, encoding: CodeUnits) -> int:
        """Code-point offset of a position; a split character is a bug, so it raises
        ``ValueError``. Past a line's end or the last line it clamps, as LSP clients do."""
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.content_end(position.line)
        if encoding == CodeUnits.UTF32:
            return min(start + position.character, end)
        count = 0
        for i in range(start, end):
            if count >= position.character:
                if count > position.character:
                    raise ValueError(f"{position} falls inside a character ({encoding})")
                return i
            count += units(self.text[i], encoding)
        if count > position.character:
            raise ValueError(f"{position} falls inside a character ({encoding})")
        return end
