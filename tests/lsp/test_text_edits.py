"""Minimal text edits: exact round-trips in every LSP position encoding, and re-basing."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol.types import Position, Range, TextEdit

from agentfix.lsp.text_edits import (
    apply_edits,
    minimal_edits,
    offset_to_position,
    position_to_offset,
    rebase_edits,
)

ENCODINGS = ("utf-8", "utf-16", "utf-32")
ALPHABET = [
    "a",
    "b",
    "x",
    " ",
    "\t",
    "-",
    "+",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "👍🏽",
    "漢字",
    "e\u0301",
]
CODECS = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}

texts = st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join)


@st.composite
def old_and_new(draw: st.DrawFn) -> tuple[str, str]:
    """Either two unrelated texts or a text and a few local mutations of it (the usual fix)."""
    old = draw(texts)
    if draw(st.booleans()):
        return old, draw(texts)
    new = old
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(new)))
        j = draw(st.integers(i, min(len(new), i + 4)))
        new = new[:i] + draw(texts.filter(lambda t: len(t) < 6)) + new[j:]
    return old, new


def lsp_lines(text: str) -> list[str]:
    """Independent splitter: lines with their terminators, breaking only on \\n, \\r\\n, \\r."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+", text) + (
        [""] if text == "" or text.endswith(("\r", "\n")) else []
    )


def check_position(text: str, pos: Position, encoding: str) -> int:
    """Offset of ``pos`` computed by re-encoding; fails if it splits a character or a line break."""
    lines = lsp_lines(text)
    assert 0 <= pos.line < len(lines)
    line = lines[pos.line]
    content = line.rstrip("\r\n")
    codec, width = CODECS[encoding]
    data = content.encode(codec, "surrogatepass")
    assert pos.character * width <= len(data), "position past the line content (inside CRLF?)"
    prefix = data[: pos.character * width].decode(codec)  # raises inside a surrogate pair/byte seq
    return sum(len(line) for line in lines[: pos.line]) + len(prefix)


def key(pos: Position) -> tuple[int, int]:
    return (pos.line, pos.character)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old_and_new())
def test_round_trip_in_every_encoding(pair: tuple[str, str]) -> None:
    old, new = pair
    for encoding in ENCODINGS:
        edits = minimal_edits(old, new, encoding)
        assert apply_edits(old, edits, encoding) == new
        if old == new:
            assert edits == []
        offsets = []
        for edit in edits:
            start = check_position(old, edit.range.start, encoding)
            end = check_position(old, edit.range.end, encoding)
            assert start <= end
            assert key(edit.range.start) <= key(edit.range.end)
            offsets.append((start, end))
            assert offset_to_position(old, start, encoding) == edit.range.start
            assert position_to_offset(old, edit.range.end, encoding) == end
        for (_, prev_end), (next_start, _) in pairwise(offsets):
            assert prev_end <= next_start, "edits must be sorted and non-overlapping"
        for a, b in pairwise(edits):
            assert key(a.range.end) <= key(b.range.start)


@settings(max_examples=100, deadline=None)
@given(texts)
def test_positions_round_trip_at_every_code_point_boundary(text: str) -> None:
    for encoding in ENCODINGS:
        for offset in range(len(text) + 1):
            if text[offset - 1 : offset + 1] == "\r\n":
                continue  # not a position LSP can express
            pos = offset_to_position(text, offset, encoding)
            assert check_position(text, pos, encoding) == offset
            assert position_to_offset(text, pos, encoding) == offset


def test_one_character_change_is_one_tiny_edit() -> None:
    old = "def f(a, b):\n    return a - b\n\nprint(f(1, 2))\n"
    new = old.replace("a - b", "a + b")
    edits = minimal_edits(old, new)
    assert edits == [
        TextEdit(range=Range(Position(1, 13), Position(1, 14)), new_text="+"),
    ]


def test_crlf_file_keeps_line_breaks_whole() -> None:
    old = "def f(a, b):\r\n    return a - b\r\n\r\nx = 1\r\n"
    new = "def f(a, b):\r\n    return a + b\r\n\r\nx = 1\r\ny = 2\r\n"
    for encoding in ENCODINGS:
        edits = minimal_edits(old, new, encoding)
        assert apply_edits(old, edits, encoding) == new
        assert edits[0] == TextEdit(range=Range(Position(1, 13), Position(1, 14)), new_text="+")
        assert edits[1] == TextEdit(
            range=Range(Position(4, 0), Position(4, 0)), new_text="y = 2\r\n"
        )
    # Changing the line break style replaces whole CRLFs, never half of one.
    edits = minimal_edits("a\r\nb\r\n", "a\nb\r\n")
    assert edits == [TextEdit(range=Range(Position(0, 1), Position(1, 0)), new_text="\n")]
    assert apply_edits("a\r\nb\r\n", edits) == "a\nb\r\n"
    edits = minimal_edits("a\rb", "a\r\nb")
    assert apply_edits("a\rb", edits) == "a\r\nb"
    for edit in edits:
        for pos in (edit.range.start, edit.range.end):
            check_position("a\rb", pos, "utf-16")


@pytest.mark.parametrize(("encoding", "column"), [("utf-16", 13), ("utf-8", 15), ("utf-32", 12)])
def test_emoji_before_the_change_counts_in_code_units(encoding: str, column: int) -> None:
    # "s = '" is 5 code points, then the emoji (2 UTF-16 units, 4 UTF-8 bytes), then "' + a ".
    old = "s = '😀' + a - b\n"
    new = "s = '😀' + a + b\n"
    edits = minimal_edits(old, new, encoding)
    assert edits == [
        TextEdit(range=Range(Position(0, column), Position(0, column + 1)), new_text="+"),
    ]
    assert apply_edits(old, edits, encoding) == new


def test_apply_rejects_overlaps_and_split_characters() -> None:
    overlapping = [
        TextEdit(range=Range(Position(0, 0), Position(0, 2)), new_text="x"),
        TextEdit(range=Range(Position(0, 1), Position(0, 3)), new_text="y"),
    ]
    with pytest.raises(ValueError, match="overlap"):
        apply_edits("abcd", overlapping)
    inside_emoji = [TextEdit(range=Range(Position(0, 1), Position(0, 1)), new_text="x")]
    with pytest.raises(ValueError, match="inside a character"):
        apply_edits("😀", inside_emoji, "utf-16")
    with pytest.raises(ValueError):
        minimal_edits("a", "b", "latin-1")


BASE = "import os\n\ndef f(a, b):\n    return a - b\n\nprint(f(1, 2))\n"
FIXED = BASE.replace("a - b", "a + b")


def test_rebase_past_an_unrelated_edit_before_the_fix() -> None:
    current = BASE.replace("import os\n", "import os\nimport sys  # 😀\n")
    edits = minimal_edits(BASE, FIXED)
    rebased = rebase_edits(BASE, edits, current)
    assert rebased is not None
    assert rebased == [TextEdit(range=Range(Position(4, 13), Position(4, 14)), new_text="+")]
    assert apply_edits(current, rebased) == current.replace("a - b", "a + b")


def test_rebase_past_an_edit_after_the_fix_and_without_changes() -> None:
    current = BASE + "print('more')\n"
    edits = minimal_edits(BASE, FIXED)
    rebased = rebase_edits(BASE, edits, current)
    assert rebased is not None
    assert apply_edits(current, rebased) == FIXED + "print('more')\n"
    assert rebase_edits(BASE, edits, BASE) == edits


def test_rebase_on_the_same_line_outside_the_edited_span() -> None:
    current = BASE.replace("return a - b", "return (a - b)").replace("\n\nprint", "\nprint")
    rebased = rebase_edits(BASE, minimal_edits(BASE, FIXED), current)
    assert rebased == [TextEdit(range=Range(Position(3, 14), Position(3, 15)), new_text="+")]
    assert apply_edits(current, rebased) == current.replace("a - b", "a + b")


@pytest.mark.parametrize(
    "current",
    [
        BASE.replace("a - b", "a * b"),  # the very character the fix replaces
        BASE.replace("a - b", "a -- b"),  # typed right next to it (touching)
        BASE.replace("    return a - b\n", ""),  # deleted the line holding the fix
    ],
)
def test_rebase_refuses_when_the_user_edited_the_fix_region(current: str) -> None:
    edits = minimal_edits(BASE, FIXED)
    assert rebase_edits(BASE, edits, current) is None


SEP = "\n§§\n"  # a line that appears nowhere else, so both diffs align on it


@settings(max_examples=150, deadline=None)
@given(texts, texts, texts, texts, st.sampled_from(ENCODINGS))
def test_rebase_user_edits_before_fix_edits_after(
    prefix: str, user_prefix: str, region: str, fixed_region: str, encoding: str
) -> None:
    base = prefix + SEP + region
    current = user_prefix + SEP + region
    edits = minimal_edits(base, prefix + SEP + fixed_region, encoding)
    rebased = rebase_edits(base, edits, current, encoding)
    assert rebased is not None
    assert apply_edits(current, rebased, encoding) == user_prefix + SEP + fixed_region
