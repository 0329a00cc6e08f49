"""LSP ``TextEdit``s and ``Position``s to and from the neutral edits of ``source``.

The diff, the re-basing and the position arithmetic live in ``agentfix.source`` (offsets
on Python strings, positions in any code units); this module only converts at the
boundary, in the position encoding the client chose.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol.types import Position, PositionEncodingKind, Range, TextEdit

from agentfix.source import edits as neutral
from agentfix.source import positions
from agentfix.source.positions import CodeUnits, LineIndex

__all__ = [
    "apply_edits",
    "minimal_edits",
    "offset_to_position",
    "position_to_offset",
    "rebase_edits",
]

Encoding = PositionEncodingKind | str


def _units(encoding: Encoding) -> CodeUnits:
    """The client's encoding; a typo fails loudly (``ValueError``) instead of mis-positioning."""
    return CodeUnits(PositionEncodingKind(encoding).value)


def _position(index: LineIndex, offset: int, encoding: CodeUnits) -> Position:
    found = index.position(offset, encoding)
    return Position(line=found.line, character=found.character)


def _offset(index: LineIndex, position: Position, encoding: CodeUnits) -> int:
    return index.offset(positions.Position(position.line, position.character), encoding)


def offset_to_position(text: str, offset: int, encoding: Encoding = "utf-16") -> Position:
    """LSP position of a code-point offset into ``text``."""
    return _position(LineIndex(text), offset, _units(encoding))


def position_to_offset(text: str, position: Position, encoding: Encoding = "utf-16") -> int:
    """Code-point offset of an LSP position; clamps like a client, rejects mid-character."""
    return _offset(LineIndex(text), position, _units(encoding))


def _to_lsp(text: str, found: Sequence[neutral.Edit], encoding: CodeUnits) -> list[TextEdit]:
    index = LineIndex(text)
    return [
        TextEdit(
            range=Range(
                start=_position(index, e.start, encoding), end=_position(index, e.end, encoding)
            ),
            new_text=e.text,
        )
        for e in found
    ]


def _from_lsp(text: str, found: Sequence[TextEdit], encoding: CodeUnits) -> list[neutral.Edit]:
    index = LineIndex(text)
    return [
        neutral.Edit(
            _offset(index, e.range.start, encoding),
            _offset(index, e.range.end, encoding),
            e.new_text,
        )
        for e in found
    ]


def minimal_edits(old: str, new: str, encoding: Encoding = "utf-16") -> list[TextEdit]:
    """Small, sorted, non-overlapping edits that turn ``old`` into ``new``, all ranges in
    ``old`` as LSP requires; no range starts or ends inside a CRLF pair or a code point."""
    return _to_lsp(old, neutral.minimal_edits(old, new), _units(encoding))


def apply_edits(text: str, edits: Sequence[TextEdit], encoding: Encoding = "utf-16") -> str:
    """Apply edits the way an LSP client does (the reference for tests and the server);
    ``ValueError`` on overlapping edits and on positions inside a character."""
    return neutral.apply_edits(text, _from_lsp(text, edits, _units(encoding)))


def rebase_edits(
    base: str, edits: Sequence[TextEdit], current: str, encoding: Encoding = "utf-16"
) -> list[TextEdit] | None:
    """Edits computed against ``base`` moved onto ``current`` (the user typed meanwhile);
    None when a user change overlaps or touches an edited region."""
    units = _units(encoding)
    moved = neutral.rebase_edits(base, _from_lsp(base, edits, units), current)
    return None if moved is None else _to_lsp(current, moved, units)
