"""A real editor end to end: headless Neovim (Debian's package) runs tests/lsp/nvim/init.lua,
which attaches the agentfix server to a buggy file, and tests/lsp/nvim/agentfix_fix.lua, which
executes the "Fix file with local agent" code action. The command answers at once (the fix runs
in the background); the server's workspace/applyEdit arrives later and Neovim's own handler
applies it; the buffer is written to disk and the project's tests then pass.
The model is a scripted fake Ollama on 127.0.0.1 behind the real langchain-ollama client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fake_llm import FakeLLM
from scripted import fenced

NVIM = shutil.which("nvim")
NVIM_DIR = Path(__file__).resolve().parent / "nvim"
INIT = NVIM_DIR / "init.lua"
DRIVER = NVIM_DIR / "agentfix_fix.lua"

BUGGY = "def add(a, b):\n    return a - b\n"
FIXED = "def add(a, b):\n    return a + b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'

NVIM_TIMEOUT = 300  # seconds for the whole Neovim session (the fix itself: 180 s in Lua)
PYTEST_TIMEOUT = 120

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="Debian's neovim is not installed; .ci/run installs it"
)


def write_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tests").mkdir()
    (root / "tests" / "test_calc.py").write_text(TESTS)
    calc = root / "calc.py"
    calc.write_text(BUGGY)
    return calc


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment without agentfix/pytest settings of the caller, with Neovim's own
    files (lsp.log, swap, shada) kept under ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AGENTFIX_", "PYTEST_", "NVIM")) and k != "OLLAMA_HOST"
    }
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.update(extra)
    return env


def tail(path: Path, chars: int = 4000) -> str:
    return path.read_text(errors="replace")[-chars:] if path.is_file() else f"({path} absent)"


def run_neovim(project: Path, calc: Path, fake: FakeLLM, work: Path) -> dict[str, Any]:
    """Run the driver in headless Neovim; return the JSON report it wrote."""
    result = work / "result.json"
    env = clean_env(
        work,
        NVIM_AGENTFIX_PYTHON=sys.executable,
        NVIM_AGENTFIX_BASE_URL=fake.url,
        NVIM_AGENTFIX_MODEL="fake-model",
        NVIM_AGENTFIX_RESULT=str(result),
    )
    command = [NVIM or "nvim", "--headless", "--clean", "-n", "-u", str(INIT), str(calc),
               "-c", f"luafile {DRIVER}"]  # fmt: skip
    proc = subprocess.run(
        command,
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=NVIM_TIMEOUT,
        check=False,
    )
    lsp_log = work / "xdg_cache_home" / "nvim" / "lsp.log"
    context = (
        f"nvim exited {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\n"
        f"stderr:\n{proc.stderr[-4000:]}\nlsp.log:\n{tail(lsp_log)}"
    )
    assert result.is_file(), f"the Lua driver wrote no report\n{context}"
    report: dict[str, Any] = json.loads(result.read_text())
    assert proc.returncode == 0 and "error" not in report, (
        f"{report.get('error')}\nsteps: {report.get('steps')}\n{context}"
    )
    return report


def test_neovim_fixes_the_file_with_the_code_action(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    work = tmp_path / "nvim"
    work.mkdir()
    calc = write_project(project)

    with FakeLLM([fenced(FIXED)], model="fake-model") as fake:
        report = run_neovim(project, calc, fake, work)
        model_calls = len(fake.requests)

    assert report["steps"] == [
        "initialized", "code actions listed", "command sent", "command answered",
        "fix ended", "written", "stopped",
    ]  # fmt: skip
    assert {"title": "Fix file with local agent", "kind": "source.agentfix"} in report["actions"]
    # The command answered before the fix was applied: Neovim was never blocked on it.
    outcome = report["command_result"]
    assert outcome["status"] == "started", outcome
    assert report["edits_when_answered"] == 0
    assert [e["params"]["label"] for e in report["edits"]] == ["agentfix: validated fix"]
    assert model_calls == 1

    # Neovim applied the server's workspace/applyEdit to the buffer, and :write saved it.
    assert report["changed"] is True
    assert report["buffer"] == FIXED.splitlines()
    assert calc.read_text() == FIXED
    assert "return a + b" in calc.read_text()

    # Work-done progress reached Neovim: begin, reports, end; and the result was shown.
    values = [p["params"]["value"] for p in report["progress"]]
    kinds = [v.get("kind") for v in values if isinstance(v, dict)]
    assert kinds and kinds[0] == "begin" and kinds[-1] == "end", report["progress"]
    assert values[0]["title"] == "Fixing calc.py with local agent"
    messages = [m["params"]["message"] for m in report["messages"]]
    assert any("fixed" in m and "calc.py" in m for m in messages), messages

    # The project's own tests are green on the file Neovim wrote.
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=clean_env(work),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PYTEST_TIMEOUT,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout
