"""Feedback is focused: failing tests and assertion lines in, noise and bulk out."""

from __future__ import annotations

from agentfix.engine.feedback import MAX_CHARS, trim_test_output

PYTEST_OUTPUT = """F.F                                                                      [100%]
=================================== FAILURES ===================================
___________________________________ test_add ___________________________________
tests/test_calc.py:5: in test_add
    assert add(2, 3) == 5
E   assert -1 == 5
E    +  where -1 = add(2, 3)
_________________________________ test_double __________________________________
/usr/lib/python3/site-packages/_pytest/python.py:100: in runtest
    pass
tests/test_calc.py:9: in test_double
    assert double(4) == 8
E   assert 16 == 8
=============================== warnings summary ===============================
lots of irrelevant warnings
=========================== short test summary info ============================
FAILED tests/test_calc.py::test_add - assert -1 == 5
FAILED tests/test_calc.py::test_double - assert 16 == 8
2 failed, 1 passed in 0.05s
"""


def test_failures_keep_assertions_and_drop_noise() -> None:
    text = trim_test_output(PYTEST_OUTPUT)
    assert "--- test_add ---" in text and "E   assert -1 == 5" in text
    assert "E   assert 16 == 8" in text
    assert "FAILED tests/test_calc.py::test_double" in text
    assert "site-packages" not in text and "irrelevant warnings" not in text


def test_many_failures_are_capped() -> None:
    section = "_____ test_{i} _____\nE   assert {i} == 0\n"
    output = "".join(section.format(i=i) for i in range(50)) + "=== 50 failed ===\n"
    text = trim_test_output(output)
    assert "test_0" in text and "test_2" in text and "test_3 " not in text
    assert "47 more failing tests" in text


def test_non_pytest_output_keeps_its_tail_within_the_cap() -> None:
    output = "\n".join(f"line {i} " + "x" * 200 for i in range(500))
    text = trim_test_output(output)
    assert "line 499" in text and "line 0 " not in text
    assert len(text) <= MAX_CHARS + 40
