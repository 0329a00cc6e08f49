"""Validation on the layouts real projects have: a src layout with an editable install, a
suite with a failure elsewhere, a slow but healthy suite, missing test dependencies, and a
candidate whose result depends on the hash seed. "Validated" must stay true on each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentfix.engine.request import FixRequest, FixResult
from agentfix.engine.run import run_fix
from agentfix.settings import build_settings
from agentfix.trace import Trace
from agentfix.validators.verdict import CheckName
from conftest import CALC_BUGGY, write_project
from scripted import ScriptedProvider, fenced

PY = f"python{sys.version_info.major}.{sys.version_info.minor}"
AREA_BUGGY = '''"""Areas of shapes."""


def square(side):
    return side * 4
'''
AREA_RIGHT = AREA_BUGGY.replace("side * 4", "side * side")
AREA_WRONG = AREA_BUGGY.replace("side * 4", "side + side")
AREA_TESTS = """from shapes.area import square


def test_square():
    assert square(3) == 9


def test_unit():
    assert square(1) == 1
"""


def make_venv(where: Path, *extra_paths: Path) -> Path:
    """A real venv (no pip) that sees this run's site-packages (pytest) and ``extra_paths``
    through a ``.pth`` file: how an editable install points at a project's ``src``."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    site = where / "lib" / PY / "site-packages"
    ours = [p for p in sys.path if p.endswith("site-packages")]
    (site / "_deps.pth").write_text("\n".join(ours) + "\n")
    if extra_paths:
        (site / "__editable__.shapes-0.1.pth").write_text("\n".join(map(str, extra_paths)) + "\n")
    return where / "bin" / "python"


def src_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "shapes"\nversion = "0.1"\n\n'
        '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'
    )
    package = root / "src" / "shapes"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Shapes."""\n')
    (package / "area.py").write_text(AREA_BUGGY)
    (root / "tests").mkdir()
    (root / "tests" / "test_area.py").write_text(AREA_TESTS)
    return package / "area.py"


def fix(
    path: Path, provider: ScriptedProvider, trace: Trace | None = None, **overrides: object
) -> FixResult:
    settings = build_settings(path.parent, {"candidates": 1, **overrides})
    return run_fix(FixRequest(path, path.read_text()), settings, provider, trace=trace)


@pytest.mark.parametrize("sandbox", ["auto", "none"])
def test_src_layout_with_an_editable_install_tests_the_candidate(
    tmp_path: Path, sandbox: str
) -> None:
    path = src_project(tmp_path)
    make_venv(tmp_path / ".venv", tmp_path / "src")  # the .pth points at the user's src/
    provider = ScriptedProvider([fenced(AREA_WRONG), fenced(AREA_RIGHT)])
    trace = Trace()
    result = fix(path, provider, trace, sandbox=sandbox)
    assert result.status == "fixed" and result.fixed == AREA_RIGHT, result.message
    wrong, right = [c for c in result.candidates if c.from_model]
    assert not wrong.validated and "failed" in wrong.verdict.get("tests").summary  # type: ignore[union-attr]
    # the tests imported the candidate: the copy's file, with the candidate's text
    report = right.verdict.get("suite").report  # type: ignore[union-attr]
    assert report is not None and report.imported is not None
    assert report.imported.file is not None and report.imported.file.endswith("src/shapes/area.py")
    assert result.candidates and path.read_text() == AREA_BUGGY
    (start,) = [e for e in trace.events() if e["kind"] == "start"]
    assert start["python"] == str(tmp_path / ".venv" / "bin" / "python")
    assert start["python_reason"] == f"the environment in {tmp_path / '.venv'}"


def test_tests_that_import_an_installed_copy_stop_before_any_model_call(tmp_path: Path) -> None:
    path = src_project(tmp_path)
    python = make_venv(tmp_path / ".venv")
    installed = python.parents[1] / "lib" / PY / "site-packages" / "shapes"
    installed.mkdir()
    (installed / "__init__.py").write_text("")
    (installed / "area.py").write_text(AREA_BUGGY)  # `pip install .`, not editable
    provider = ScriptedProvider([fenced(AREA_RIGHT)])
    result = fix(path, provider)
    assert result.status == "test_setup" and result.fixed is None
    assert "site-packages" in result.message and "pip install -e ." in result.message
    assert provider.script.prompts == [] and provider.script.checks == []


OTHER_TEST = "from other import VALUE\n\n\ndef test_value():\n    assert VALUE == 2\n"
DOUBLE_BROKEN = CALC_BUGGY.replace("a - b", "a + b").replace("x * 2", "x * 3")


def test_a_failure_elsewhere_is_reported_and_does_not_block_the_fix(tmp_path: Path) -> None:
    path = write_project(tmp_path)
    (tmp_path / "other.py").write_text("VALUE = 1\n")
    (tmp_path / "tests" / "test_other.py").write_text(OTHER_TEST)
    right = CALC_BUGGY.replace("a - b", "a + b")
    # the wrong answer fixes the failing test but breaks another test of the same file
    provider = ScriptedProvider([fenced(DOUBLE_BROKEN), fenced(right)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == right, result.message
    wrong = next(c for c in result.candidates if c.text == DOUBLE_BROKEN)
    assert "broken that passed before" in wrong.verdict.get("tests").summary  # type: ignore[union-attr]
    assert "tests/test_other.py::test_value" in result.message  # said, not hidden
    suite = result.best.verdict.get("suite")  # type: ignore[union-attr]
    assert suite is not None and "failing before and still" in suite.summary


def test_missing_test_dependencies_stop_before_any_model_call(tmp_path: Path) -> None:
    tests = "import missing_dependency_xyz\nfrom calc import add\n\n\ndef test_add():\n    pass\n"
    path = write_project(tmp_path, tests=tests)
    provider = ScriptedProvider([fenced(CALC_BUGGY)])
    result = fix(path, provider)
    assert result.status == "test_setup"
    assert "missing_dependency_xyz" in result.message and "install" in result.message
    assert provider.script.prompts == []


def test_a_slow_but_healthy_suite_gets_the_time_it_needs_and_shows_progress(
    tmp_path: Path,
) -> None:
    slow = "import time\n\nfrom calc import add\n\n\n" + "\n\n".join(
        f"def test_add_{i}():\n    time.sleep(0.4)\n    assert add(2, {i}) == {2 + i}"
        for i in range(5)
    )
    path = write_project(tmp_path, tests=slow + "\n")
    right = CALC_BUGGY.replace("a - b", "a + b")
    events: list[str] = []
    settings = build_settings(tmp_path, {"candidates": 1, "test_timeout": 1})
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, ScriptedProvider([fenced(right)]),
                     progress=lambda e: events.append(e.message))  # fmt: skip
    assert result.status == "fixed", result.message  # 2 s of tests under a 1 s setting
    assert any("tests run" in e for e in events)  # pytest's progress reaches the user
    runs = [c.verdict.get(CheckName.TESTS) for c in result.candidates if c.verdict]
    assert not any(run and run.details.get("timed_out") for run in runs)


WORDS_BUGGY = '''def unique(words):
    """Each word once, in the order first seen."""
    return list(words)
'''
WORDS_FLAKY = WORDS_BUGGY.replace("list(words)", "list(set(words))")
WORDS_RIGHT = WORDS_BUGGY.replace("list(words)", "list(dict.fromkeys(words))")
POOL = ["pear", "fig", "apple", "kiwi", "plum", "lime", "date", "yuzu"]


FIND = """
import itertools, json, sys
pool = json.loads(sys.argv[1])
for perm in itertools.permutations(pool):
    words = list(perm) + list(perm[:2])
    if list(set(words)) == list(perm):
        print(json.dumps(words))
        break
"""


def set_order(seed: str, code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], env={"PYTHONHASHSEED": seed},
                         capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.strip()


def test_a_candidate_that_passes_only_by_hash_order_is_not_validated(tmp_path: Path) -> None:
    # words listed in the order a set iterates them under the first run's hash seed
    words = json.loads(set_order("0", FIND, json.dumps(POOL[:5])))
    order = list(dict.fromkeys(words))
    again = set_order("7919", f"print(list(set({words!r})) == {order!r})")
    assert again == "False"  # the re-run's seed orders them differently
    tests = (f"from words import unique\n\n\ndef test_unique():\n"
             f"    assert unique({words!r}) == {order!r}\n")  # fmt: skip
    (tmp_path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_words.py").write_text(tests)
    path = tmp_path / "words.py"
    path.write_text(WORDS_BUGGY)
    provider = ScriptedProvider([fenced(WORDS_FLAKY), fenced(WORDS_RIGHT)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == WORDS_RIGHT, result.message
    flaky = next(c for c in result.candidates if c.text == WORDS_FLAKY)
    assert flaky.verdict is not None and flaky.verdict.passed("tests")  # passed once...
    rerun = flaky.verdict.get("rerun")
    assert rerun is not None and rerun.status == "fail" and "flaky" in rerun.summary


def test_a_test_command_that_stops_at_the_first_failure_is_said(tmp_path: Path) -> None:
    tests = "from calc import add\n\n\n" + "\n\n".join(
        f"def test_add_{i}():\n    assert add(2, {i}) == {2 + i}" for i in range(1, 4)
    )
    path = write_project(tmp_path, tests=tests + "\n")
    right = CALC_BUGGY.replace("a - b", "a + b")
    command = "python -m pytest -q -x -p no:cacheprovider"
    result = fix(path, ScriptedProvider([fenced(right)]), test_command=command)
    assert result.status == "fixed", result.message
    assert "stopped after 1 of 3 tests" in result.message
