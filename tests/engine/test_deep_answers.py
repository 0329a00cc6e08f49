"""Model answers nested too deep for Python's recursive tools end a fix like any other
answer: they never raise out of ``run_fix``."""

from __future__ import annotations

from pathlib import Path

from agentfix.engine.request import FixRequest, FixResult
from agentfix.engine.run import run_fix
from agentfix.settings import build_settings
from conftest import CALC_BUGGY
from scripted import ScriptedProvider, fenced


def _fix(path: Path, answer: str) -> FixResult:
    settings = build_settings(path.parent, {"candidates": 1, "max_rounds": 1})
    return run_fix(FixRequest(path, path.read_text()), settings, ScriptedProvider([answer]))


def test_an_answer_too_deep_to_compile_is_rejected(calc_project: Path) -> None:
    result = _fix(calc_project, "```python\n" + "-" * 3000 + "1\n```")
    assert result.status == "no_fix"
    assert "nested too deeply" in result.message
    assert calc_project.read_text() == CALC_BUGGY


def test_a_fix_holding_a_deep_expression_is_validated_not_raised(calc_project: Path) -> None:
    """Before: it compiled and passed the failing test, then ``ast.dump`` (per-function
    test selection) raised ``RecursionError`` out of ``run_fix``."""
    fixed = CALC_BUGGY.replace("return a - b", "return a + b + " + "~" * 1000 + "0")
    result = _fix(calc_project, fenced(fixed))
    assert result.status == "fixed"
    assert result.fixed == fixed
