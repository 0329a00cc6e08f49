"""Minimal edits between two versions of a text, applied and re-based on offsets.

A fix is sent back as a few small edits rather than one whole replacement, so an editor
keeps cursors, folds and undo granularity, and so the edits can be re-based onto a text the
user kept typing in. Offsets are code points into the old text; ``source.positions`` turns
them into (line, character) positions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from agentfix.source.line_diff import opcodes
from agentfix.source.lines import split_lines

# Diff tokens: CRLF is one token so that no edit ever starts or ends inside it.
_TOKEN = re.compile(r"\r\n|.", re.DOTALL)
# Above this many token pairs a character diff gets slow (difflib is quadratic in the
# worst case), so the block is replaced whole, minus common ends.
CHAR_DIFF_LIMIT = 4_000_000


@dataclass(frozen=True)
class Edit:
    """A replacement of ``[start, end)`` (code-point offsets) by ``text``."""

    start: int
    end: int
    text: str


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


def _char_edits(old: str, new: str, base: int) -> list[Edit]:
    """Character-level edits turning ``old`` into ``new``; offsets shifted by ``base``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    head, tail = _trim(a, b)
    a_mid, b_mid = a[head : len(a) - tail], b[head : len(b) - tail]
    offset = base + sum(map(len, a[:head]))
    if not a_mid and not b_mid:
        return []
    if len(a_mid) * len(b_mid) > CHAR_DIFF_LIMIT:
        return [Edit(offset, offset + sum(map(len, a_mid)), "".join(b_mid))]
    starts = [offset]  # token offsets into ``old`` (code points): a CRLF token counts two
    for token in a_mid:
        starts.append(starts[-1] + len(token))
    matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
    return [
        Edit(starts[i1], starts[i2], "".join(b_mid[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def minimal_edits(old: str, new: str) -> list[Edit]:
    """Sorted, disjoint, non-touching edits of ``old`` that turn it into ``new``.

    Lines are diffed first (fast, and aligns like a human reads it); only replaced line
    blocks are refined to characters, so a one-operator fix is one tiny edit rather than a
    rewritten line. No edit starts or ends inside a CRLF pair.
    """
    if old == new:
        return []
    a, b = split_lines(old, keepends=True), split_lines(new, keepends=True)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in opcodes(a, b):
        if tag == "equal":
            continue
        old_block, new_block = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "replace":
            edits.extend(_char_edits(old_block, new_block, starts[i1]))
        else:
            edits.append(Edit(starts[i1], starts[i2], new_block))
    return edits


def ordered(edits: Sequence[Edit]) -> list[Edit]:
    """The edits sorted stably (inserts at one offset keep their order); ``ValueError``
    when one ends before it starts or two overlap."""
    for edit in edits:
        if edit.end < edit.start:
            raise ValueError(f"edit ends before it starts: {edit}")
    found = sorted(edits, key=lambda e: (e.start, e.end))
    for prev, cur in pairwise(found):
        if cur.start < prev.end:
            raise ValueError("edits overlap")
    return found


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply edits the way an LSP client does: all offsets relative to the original text;
    ``ValueError`` on edits that overlap."""
    out: list[str] = []
    pos = 0
    for edit in ordered(edits):
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def rebase_edits(base: str, edits: Sequence[Edit], current: str) -> list[Edit] | None:
    """Move edits computed against ``base`` onto ``current`` (the user typed meanwhile).

    None when any user change overlaps or touches an edited region: the fix was made for
    text that is no longer there, so applying it could corrupt the user's work.
    """
    fixes = ordered(edits)
    if base == current:
        return fixes
    user = minimal_edits(base, current)
    moved: list[Edit] = []
    shift = 0
    k = 0  # index of the first user change not yet known to lie before the fix
    for fix in fixes:
        while k < len(user) and user[k].end < fix.start:
            shift += len(user[k].text) - (user[k].end - user[k].start)
            k += 1
        if k < len(user) and user[k].start <= fix.end:
            return None  # touches or overlaps (closed intervals intersect)
        moved.append(Edit(fix.start + shift, fix.end + shift, fix.text))
    return moved
