"""The size of a change (the smallest validated fix wins) counts lines removed plus added."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pytest import MonkeyPatch

from agentfix.engine.candidate import changed_lines
from agentfix.source.line_diff import TOTAL_PAIRS, changed_count, opcodes, unified

LINES = st.lists(st.sampled_from(["", "a", "b", "x = 1", "    return x"]), max_size=30)


def full_matcher(before: str, after: str) -> int:
    m = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    return sum((i2 - i1) + (j2 - j1) for t, i1, i2, j1, j2 in m.get_opcodes() if t != "equal")


@given(LINES, LINES, LINES)
def test_setting_aside_the_shared_start_and_end_never_changes_the_count(
    head: list[str], middle: list[str], tail: list[str]
) -> None:
    before = "\n".join([*head, "old", *tail])
    after = "\n".join([*head, *middle, *tail])
    assert changed_lines(before, after) <= full_matcher(before, after)
    assert changed_lines(before, before) == 0


def test_a_one_line_fix_in_a_big_file_counts_two() -> None:
    before = "\n".join(f"x{i} = {i}" if i % 3 else "" for i in range(3000))
    assert changed_lines(before, before.replace("x1501 = 1501", "x1501 = 0")) == 2


@given(LINES, LINES)
def test_line_diff_opcodes_rebuild_the_new_text_and_match_difflib_on_small_input(
    old: list[str], new: list[str]
) -> None:
    ops = opcodes(old, new)
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            assert old[i1:i2] == new[j1:j2]
        rebuilt += old[i1:i2] if tag == "equal" else new[j1:j2]
    assert rebuilt == new
    m = difflib.SequenceMatcher(None, old, new, False)
    plain = sum((i2 - i1) + (j2 - j1) for t, i1, i2, j1, j2 in m.get_opcodes() if t != "equal")
    assert changed_count(old, new) <= plain


def test_unified_diff_is_a_patch_that_applies(tmp_path: Path) -> None:
    before = "".join(f"line {i % 7}\n" for i in range(60))
    after = before.replace("line 3\n", "line 3 changed\n", 4).replace("line 5\n", "", 2) + "end"
    (tmp_path / "f.py").write_text(before)
    patch = unified(before, after, "f.py", context=2)
    subprocess.run(["patch", "-s", "-p1"], input=patch, text=True, cwd=tmp_path, check=True)
    assert (tmp_path / "f.py").read_text() == after


def repeated_module(functions: int) -> str:
    """A generated module whose lines repeat (the shape that makes difflib quadratic)."""
    return "\n".join(["def f(x):", "    return x", "", ""] * functions)


def test_the_work_of_comparing_big_candidates_is_bounded_by_their_size(
    monkeypatch: MonkeyPatch,
) -> None:
    """A 1.5 MB file whose candidate changes lines all over it: before, difflib was handed
    every line pair (hours of work against a 120 s budget; the editor frozen meanwhile)."""
    handed: list[int] = []
    real = difflib.SequenceMatcher

    def counting(junk: object, a: list[str], b: list[str], autojunk: bool = True) -> object:
        handed.append(len(a) * len(b))
        assert sum(handed) <= TOTAL_PAIRS, "difflib was handed more line pairs than the budget"
        return real(None, a, b, autojunk)

    monkeypatch.setattr(difflib, "SequenceMatcher", counting)
    before = repeated_module(50_000)
    after = before.replace("    return x\n", "    return x + 1\n", 10_000)
    middle = len(after) // 2
    after = after[:middle] + "\n# marker\n" + after[middle:].replace("\n\n\n", "\n\n", 9_000)
    count = changed_lines(before, after)
    assert sum(handed) <= TOTAL_PAIRS
    assert 0 < count <= len(before.splitlines()) + len(after.splitlines())
    assert changed_lines(before, before.replace("return x", "return -x", 1)) == 2


def test_pieces_nested_thousands_deep_neither_recurse_nor_lose_lines() -> None:
    """Each anchor split leaves a piece with more anchors inside: a recursive diff hit
    RecursionError at 5,000 lines (a traceback in the CLI, "agentfix failed" in the editor)."""
    old: list[str] = []
    for i in range(20_000, 0, -1):
        old += [f"line {i - 1}", f"line {i}"]
    new = ["X", *old, "Y"]
    rebuilt: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes(old, new):
        rebuilt += old[i1:i2] if tag == "equal" else new[j1:j2]
    assert rebuilt == new
    assert 2 <= changed_count(old, new) <= len(old) + len(new)  # bounded work: an upper bound


def test_a_form_feed_inside_a_line_is_not_a_line_end() -> None:
    """``str.splitlines`` also breaks at form feeds and U+2028: the diff shown to the user
    and the model then said "No newline at end of file" in the middle of the file."""
    patch = unified("a\x0cb\u2028c\nold\n", "a\x0cb\u2028c\nnew\n", "f.py")
    assert "No newline" not in patch
    assert " a\x0cb\u2028c\n-old\n+new\n" in patch
