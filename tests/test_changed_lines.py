"""The size of a change (the smallest validated fix wins) counts lines removed plus added."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from agentfix.engine.candidate import changed_lines

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
