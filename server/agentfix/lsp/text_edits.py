"""Minimal LSP text edits between two versions of a document.

A fix is sent back as a few small `TextEdit`s rather than one whole-document
replacement, so the client keeps cursors, folds and undo granularity, and so
the edits can be re-based onto a document the user kept typing in.
Offsets are computed on Python strings (code points) and turned into LSP
positions only at the boundary, in the position encoding the client chose.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from lsprotocol.types import Position, PositionEncodingKind, Range, TextEdit

from agentfix.line_diff import opcodes

__all__ = [
    "apply_edits",
    "minimal_edits",
    "offset_to_position",
    "position_to_offset",
    "rebase_edits",
]

Encoding = PositionEncodingKind | str

# One line including its terminator; LSP knows exactly three line breaks.
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# Diff tokens: CRLF is one token so that no edit ever starts or ends inside it.
_TOKEN_RE = re.compile(r"\r\n|.", re.DOTALL)
# Above this many token pairs a character diff gets slow (difflib is quadratic
# in the worst case), so the block is replaced whole, minus common ends.
_CHAR_DIFF_LIMIT = 4_000_000


class _Span(NamedTuple):
    """A replacement of ``[start, end)`` (code-point offsets) by ``text``."""

    start: int
    end: int
    text: str


def _encoding(encoding: Encoding) -> PositionEncodingKind:
    """Normalise the encoding so that a typo fails loudly instead of mis-positioning."""
    return PositionEncodingKind(encoding)


def _units(text: str, encoding: PositionEncodingKind) -> int:
    """Length of ``text`` in the code units in which LSP counts characters."""
    if encoding == PositionEncodingKind.Utf32:
        return len(text)
    if encoding == PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _lines(text: str) -> list[str]:
    """Lines with their terminators, split only where LSP splits ("\\n", "\\r\\n", "\\r")."""
    return _LINE_RE.findall(text)


class _LineIndex:
    """Line start offsets of a text, for converting offsets and positions both ways."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = [0]
        for line in _lines(text):
            self.starts.append(self.starts[-1] + len(line))
        # The last entry is a real line start only if the text ends with a line break
        # (or is empty); otherwise it is just the end of the text.
        if text and text[-1] not in "\r\n":
            self.starts.pop()

    def content_end(self, line: int) -> int:
        """Offset where the line's content ends, i.e. before its line break."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        if end > self.starts[line] and self.text[end - 1] == "\n":
            end -= 1
        if end > self.starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def position(self, offset: int, encoding: PositionEncodingKind) -> Position:
        """Position of a code-point offset (the caller keeps it off CRLF middles)."""
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return Position(line=line, character=_units(self.text[start:offset], encoding))

    def offset(self, position: Position, encoding: PositionEncodingKind) -> int:
        """Code-point offset of a position; a split character is a bug, so it raises."""
        if position.line >= len(self.starts):
            return len(self.text)  # past the last line: clamp to the end, as clients do
        start = self.starts[position.line]
        end = self.content_end(position.line)
        if encoding == PositionEncodingKind.Utf32:
            return min(start + position.character, end)
        units = 0
        for i in range(start, end):
            if units >= position.character:
                if units > position.character:
                    raise ValueError(f"{position} falls inside a character ({encoding})")
                return i
            units += _units(self.text[i], encoding)
        if units > position.character:
            raise ValueError(f"{position} falls inside a character ({encoding})")
        return end  # at or past the line end: clamp, as the LSP spec says


def offset_to_position(text: str, offset: int, encoding: Encoding = "utf-16") -> Position:
    """LSP position of a code-point offset into ``text``."""
    return _LineIndex(text).position(offset, _encoding(encoding))


def position_to_offset(text: str, position: Position, encoding: Encoding = "utf-16") -> int:
    """Code-point offset of an LSP position; clamps like a client, rejects mid-character."""
    return _LineIndex(text).offset(position, _encoding(encoding))


def _trim(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of two sequences."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _char_spans(old: str, new: str, base: int) -> list[_Span]:
    """Character-level spans turning ``old`` into ``new``; offsets shifted by ``base``."""
    a = _TOKEN_RE.findall(old)
    b = _TOKEN_RE.findall(new)
    head, tail = _trim(a, b)
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    offset = base + sum(map(len, a[:head]))
    if not a_mid and not b_mid:
        return []
    if len(a_mid) * len(b_mid) > _CHAR_DIFF_LIMIT:
        return [_Span(offset, offset + sum(map(len, a_mid)), "".join(b_mid))]
    # Token offsets into ``old`` (code points), so CRLF tokens count as two.
    starts = [offset]
    for token in a_mid:
        starts.append(starts[-1] + len(token))
    matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    return [
        _Span(starts[i1], starts[i2], "".join(b_mid[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _diff(old: str, new: str) -> list[_Span]:
    """Sorted, disjoint, non-touching spans turning ``old`` into ``new``.

    Lines are diffed first (fast, and aligns like a human reads it); only
    replaced line blocks are refined to characters, so a one-operator fix is
    one tiny span rather than a rewritten line.
    """
    if old == new:
        return []
    a, b = _lines(old), _lines(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    spans: list[_Span] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            continue
        old_block, new_block = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            spans.extend(_char_spans(old_block, new_block, starts[i1]))
        else:
            spans.append(_Span(starts[i1], starts[i2], new_block))
    return spans


def _to_edits(text: str, spans: Sequence[_Span], encoding: PositionEncodingKind) -> list[TextEdit]:
    """LSP edits for offset spans into ``text``."""
    index = _LineIndex(text)
    return [
        TextEdit(
            range=Range(
                start=index.position(s.start, encoding), end=index.position(s.end, encoding)
            ),
            new_text=s.text,
        )
        for s in spans
    ]


def _to_spans(text: str, edits: Sequence[TextEdit], encoding: PositionEncodingKind) -> list[_Span]:
    """Offset spans of edits, sorted stably (same-position inserts keep their order)."""
    index = _LineIndex(text)
    spans = []
    for edit in edits:
        start = index.offset(edit.range.start, encoding)
        end = index.offset(edit.range.end, encoding)
        if end < start:
            raise ValueError(f"edit range ends before it starts: {edit.range}")
        spans.append(_Span(start, end, edit.new_text))
    spans.sort(key=lambda s: (s.start, s.end))
    for prev, cur in pairwise(spans):
        if cur.start < prev.end:
            raise ValueError("edits overlap")
    return spans


def minimal_edits(old: str, new: str, encoding: Encoding = "utf-16") -> list[TextEdit]:
    """Small, sorted, non-overlapping edits that turn ``old`` into ``new``.

    All ranges refer to ``old``, as LSP requires for the edits of one document;
    no range starts or ends inside a CRLF pair or a code point.
    """
    return _to_edits(old, _diff(old, new), _encoding(encoding))


def apply_edits(text: str, edits: Sequence[TextEdit], encoding: Encoding = "utf-16") -> str:
    """Apply edits the way an LSP client does: all ranges relative to the original text.

    The reference used by tests and by the server; it raises ``ValueError`` on
    overlapping edits and on positions inside a character.
    """
    out: list[str] = []
    pos = 0
    for span in _to_spans(text, edits, _encoding(encoding)):
        out.append(text[pos : span.start])
        out.append(span.text)
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def rebase_edits(
    base: str, edits: Sequence[TextEdit], current: str, encoding: Encoding = "utf-16"
) -> list[TextEdit] | None:
    """Move edits computed against ``base`` onto ``current`` (the user typed meanwhile).

    Returns ``None`` when any user change overlaps or touches an edited region:
    the fix was made for text that is no longer there, so applying it could
    corrupt the user's work.
    """
    enc = _encoding(encoding)
    fixes = _to_spans(base, edits, enc)
    if base == current:
        return _to_edits(current, fixes, enc)
    user = _diff(base, current)
    moved: list[_Span] = []
    shift = 0
    k = 0  # index of the first user change not yet known to lie before the fix
    for fix in fixes:
        while k < len(user) and user[k].end < fix.start:
            shift += len(user[k].text) - (user[k].end - user[k].start)
            k += 1
        if k < len(user) and user[k].start <= fix.end:
            return None  # touches or overlaps (closed intervals intersect)
        moved.append(_Span(fix.start + shift, fix.end + shift, fix.text))
    return _to_edits(current, moved, enc)
