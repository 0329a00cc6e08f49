"""The user's file changes by the fix and nothing else: a BOM and CRLF line ends stay, a
read-only file is not overwritten; and the result says plainly what happened."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.settings import build_settings
from agentfix.source.text_form import TextForm
from conftest import CALC_BUGGY, write_project
from scripted import ScriptedProvider, fenced

RIGHT = CALC_BUGGY.replace("a - b", "a + b")


@pytest.mark.parametrize(
    ("text", "bom", "crlf"),
    [
        ("a\r\nb\r\n", False, True),
        ("\ufeffa\nb\n", True, False),
        ("\ufeffa\r\nb\r\n", True, True),
        ("a\r\nb\n", False, False),  # mixed: left exactly as it is
    ],
)
def test_text_form_round_trips(text: str, bom: bool, crlf: bool) -> None:
    form, plain = TextForm.of(text)
    assert (form.bom, form.crlf) == (bom, crlf)
    assert "\ufeff" not in plain and (not crlf or "\r" not in plain)
    assert form.apply(plain) == text


@pytest.mark.parametrize("bom", [False, True])
def test_a_crlf_file_is_fixed_in_its_own_form(tmp_path: Path, bom: bool) -> None:
    path = write_project(tmp_path)
    original = ("\ufeff" if bom else "") + CALC_BUGGY.replace("\n", "\r\n")
    path.write_bytes(original.encode("utf-8"))
    settings = build_settings(tmp_path, {"candidates": 1})
    result = run_fix(FixRequest(path, original), settings, ScriptedProvider([fenced(RIGHT)]))
    assert result.status == "fixed", result.message
    expected = ("\ufeff" if bom else "") + RIGHT.replace("\n", "\r\n")
    assert result.fixed == expected
    assert result.diff().count("\n-") == 1  # one line changed, not every line


def test_the_cli_keeps_the_form_and_leaves_a_read_only_file_alone(tmp_path: Path) -> None:
    import subprocess

    from fake_llm import FakeLLM

    path = write_project(tmp_path)
    original = "\ufeff" + CALC_BUGGY.replace("\n", "\r\n")
    path.write_bytes(original.encode("utf-8"))
    agentfix = [sys.executable, "-m", "agentfix", "fix", str(path), "--candidates", "1"]
    with FakeLLM([fenced(RIGHT)] * 4, model="m") as llm:
        flags = ["--provider", "openai", "--base-url", llm.url + "/v1", "--model", "m"]
        done = subprocess.run([*agentfix, *flags], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert path.read_bytes() == ("\ufeff" + RIGHT.replace("\n", "\r\n")).encode("utf-8")
        path.write_bytes(original.encode("utf-8"))
        os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        done = subprocess.run([*agentfix, *flags], capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "is read-only; the fix was NOT written" in done.stderr
    assert path.read_bytes() == original.encode("utf-8")


def test_answers_without_code_are_said_plainly(tmp_path: Path) -> None:
    path = write_project(tmp_path)
    settings = build_settings(tmp_path, {"candidates": 1, "max_rounds": 1})
    provider = ScriptedProvider(["I think the bug is in add: it subtracts."])
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, provider)
    assert result.status == "no_fix"
    assert "never with code to try" in result.message, result.message


WRONG = CALC_BUGGY.replace("a - b", "a * b")


def linked_project(root: Path, target: Path) -> Path:
    """calc.py is a symlink to ``target`` (which holds the buggy code); returns calc.py."""
    calc = write_project(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(CALC_BUGGY)
    calc.unlink()
    calc.symlink_to(target)
    return calc


@pytest.mark.parametrize(
    ("where", "opened"), [("inside", "link"), ("inside", "target"), ("outside", "link")]
)
def test_a_symlinked_file_is_tested_as_the_candidate(
    tmp_path: Path, where: str, opened: str
) -> None:
    """The tests import calc, a link to the file being fixed. Before, the copy held the
    link's old content, so every candidate was tested as the original: the right fix was
    rejected (and a wrong one could pass wherever the original passes)."""
    project = tmp_path / "project"
    project.mkdir()
    target = (project / "_impl" if where == "inside" else tmp_path / "shared") / "real_calc.py"
    link = linked_project(project, target)
    path = link if opened == "link" else target
    settings = build_settings(project, {"candidates": 1, "max_rounds": 2})
    provider = ScriptedProvider([fenced(WRONG), fenced(RIGHT)])
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, provider)
    assert result.status == "fixed", result.message
    assert result.fixed == RIGHT
    wrong = [c for c in result.candidates if c.text == WRONG]
    assert wrong and wrong[0].verdict and not wrong[0].verdict.passed("tests")


def test_the_cli_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    import subprocess

    from fake_llm import FakeLLM

    project = tmp_path / "project"
    project.mkdir()
    target = tmp_path / "shared" / "real_calc.py"
    link = linked_project(project, target)
    agentfix = [sys.executable, "-m", "agentfix", "fix", str(link), "--candidates", "1"]
    with FakeLLM([fenced(RIGHT)] * 4, model="m") as llm:
        flags = ["--provider", "openai", "--base-url", llm.url + "/v1", "--model", "m"]
        done = subprocess.run([*agentfix, *flags], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text() == RIGHT


def test_a_project_whose_path_has_a_colon_is_fixed(tmp_path: Path) -> None:
    """The file under test was passed to the test run split on ``os.pathsep`` (``:``): in
    ``/work/a:b/proj`` it was never found, and every fix was refused as "not editable"."""
    project = tmp_path / "a:b" / "proj"
    project.mkdir(parents=True)
    path = write_project(project)
    settings = build_settings(project, {"candidates": 1})
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, ScriptedProvider([fenced(RIGHT)]))
    assert result.status == "fixed", result.message
