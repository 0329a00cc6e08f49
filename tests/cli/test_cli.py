"""The `agentfix` command as a user runs it: exit codes, messages, files left intact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def agentfix(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OLLAMA_HOST": "127.0.0.1:9"}  # nothing listens on port 9
    return subprocess.run(
        [sys.executable, "-m", "agentfix", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_version_reports_versions_and_the_gil() -> None:
    out = agentfix("--version").stdout
    assert out.startswith("agentfix ")
    expected = "enabled" if getattr(sys, "_is_gil_enabled", lambda: True)() else "disabled"
    assert f"GIL {expected}" in out and "langgraph" in out


def test_demo_without_a_model_applies_ruff_and_says_what_it_could_not_do() -> None:
    result = agentfix("demo")
    assert result.returncode == 0, result.stderr
    assert "-import os" in result.stdout and "-import sys" in result.stdout
    assert "no answer from the model" in result.stdout and "not reachable" in result.stdout
    assert "http://127.0.0.1:9" in result.stdout
    assert "test_mean" in result.stdout  # what it could not fix
    assert "round 1" not in result.stderr  # no model round was attempted


def test_unreachable_provider_exits_2_naming_the_url_and_keeps_the_file(
    calc_project: Path,
) -> None:
    before = calc_project.read_bytes()
    result = agentfix("fix", str(calc_project))
    assert result.returncode == 2
    assert "not reachable at http://127.0.0.1:9" in result.stderr
    assert "ollama serve" in result.stderr
    assert calc_project.read_bytes() == before


def test_bad_settings_and_bad_paths_exit_2_with_a_clear_message(
    calc_project: Path, tmp_path: Path
) -> None:
    result = agentfix("fix", str(calc_project), "--candidates", "0")
    assert result.returncode == 2 and "candidates" in result.stderr
    result = agentfix("fix", str(calc_project), "--trace", str(tmp_path / "no" / "t.json"))
    assert result.returncode == 2 and "cannot write the trace" in result.stderr
    result = agentfix("fix", str(tmp_path / "missing.py"))
    assert result.returncode == 2 and "is not a file" in result.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.agentfix]\nmodle = 'x'\n")
    result = agentfix("fix", str(calc_project))
    assert result.returncode == 2 and "unknown setting 'modle'" in result.stderr
    result = agentfix("fix")
    assert result.returncode == 2 and "usage" in result.stderr


def test_file_with_nothing_to_fix_exits_0_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ok.py"
    path.write_text("def f(x):\n    return x + 1\n")
    result = agentfix("fix", str(path))
    assert result.returncode == 0, result.stderr
    assert "nothing to fix" in result.stderr
    assert "NO tests ran to check it" in result.stderr  # a file with no tests is not "tested"
    assert path.read_text() == "def f(x):\n    return x + 1\n"


def test_a_fix_finds_its_project_and_interpreter_once(
    calc_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry point discovers the project (root, interpreter, test command) once and
    hands it down: which ruff checks the file and which Python runs the tests agree."""
    from agentfix import cli, project

    calls: list[Path] = []
    real = project.find_interpreter

    def counted(root: Path, *args: object) -> object:
        calls.append(root)
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(project, "find_interpreter", counted)
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # unreachable: the run ends at connect
    assert cli.main(["fix", str(calc_project), "--quiet"]) == 2
    assert calls == [calc_project.parent]
