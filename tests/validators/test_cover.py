"""Per-function test selection: before the whole suite, a candidate meets the other tests
that run the functions it changed (recorded in the original's run with ``sys.monitoring``),
so a change that breaks a test far from the failing ones is rejected without the suite."""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.settings import build_settings
from agentfix.validators.test_cover import changed_functions, covering
from agentfix.validators.test_report import Outcome, TestReport
from scripted import ScriptedProvider, fenced

SHAPES = '''"""Shapes."""

LIMIT = 10


def double(x):
    return x * 2


class Box:
    def area(self, side):
        return side * side

    def volume(self, side):
        def cube(s):
            return s * s * s

        return cube(side)
'''


def test_changed_functions_names_each_changed_function_and_method() -> None:
    assert changed_functions(SHAPES, SHAPES.replace("x * 2", "x + x")) == {"double"}
    assert changed_functions(SHAPES, SHAPES.replace("side * side", "side**2")) == {"Box.area"}
    nested = SHAPES.replace("s * s * s", "s**3")
    assert changed_functions(SHAPES, nested) == {"Box.volume"}
    assert changed_functions(SHAPES, SHAPES) == frozenset()


@pytest.mark.parametrize(
    "after",
    [
        SHAPES.replace("LIMIT = 10", "LIMIT = 11"),  # a constant: any test may depend on it
        SHAPES.replace("def double(x):", "def double(x, y=0):"),  # a signature
        SHAPES.replace("class Box:", "class Box(object):"),
        SHAPES + "\n\ndef extra():\n    pass\n",  # a new function
        "def double(:\n",  # does not parse
    ],
)
def test_a_change_outside_function_bodies_selects_nothing(after: str) -> None:
    assert changed_functions(SHAPES, after) is None


def test_a_change_too_deep_to_compare_selects_nothing_and_raises_nothing() -> None:
    """Before: ``ast.dump`` of a function holding 1,000 nested ``~`` (it parses and runs)
    raised ``RecursionError`` out of the fix; now the candidate meets the whole suite."""
    deep = SHAPES.replace("return x * 2", "return x * 2 + " + "~" * 1000 + "0")
    assert changed_functions(SHAPES, deep) is None
    assert changed_functions(SHAPES, "LIMIT = " + "~" * 1000 + "0\n" + SHAPES) is None


def report(covers: dict[str, set[str]], durations: dict[str, float]) -> TestReport:
    return TestReport(
        {t: Outcome.PASSED for t in durations},
        durations=durations,
        covers={t: frozenset(n) for t, n in covers.items()},
    )


def test_covering_picks_the_tests_of_the_changed_functions_outside_the_done_files() -> None:
    durations = {"t/a.py::x": 0.1, "t/b.py::y": 0.1, "t/b.py::z": 0.1, "t/c.py::slow": 5.0}
    covers = {
        "t/a.py::x": {"double"},
        "t/b.py::y": {"Box.volume.<locals>.cube"},
        "t/b.py::z": {"Box.area"},
    }
    chosen = covering(report(covers, durations), frozenset({"double", "Box.volume"}), ("t/a.py",))
    assert chosen == {"t/b.py::y"}  # nested code counts; t/a.py ran in the first stage


def test_covering_selects_nothing_when_it_does_not_pay_or_was_not_recorded() -> None:
    durations = {"t/a.py::x": 3.0, "t/b.py::y": 1.0}
    covers = {"t/a.py::x": {"double"}}
    assert covering(report(covers, durations), frozenset({"double"}), ()) == frozenset()
    unrecorded = TestReport({"t/a.py::x": Outcome.PASSED}, durations=durations)
    assert covering(unrecorded, frozenset({"double"}), ()) == frozenset()
    assert covering(report(covers, durations), None, ()) == frozenset()


# --- end to end, with an interpreter that has sys.monitoring (3.12+) -------------------------


def monitoring_python() -> str | None:
    if sys.version_info >= (3, 12):
        return sys.executable
    found = sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.1[23]*/bin/python3")))
    found += [shutil.which(f"python3.{minor}") or "" for minor in (12, 13)]
    for python in filter(None, found):  # a pyenv shim may exist and fail
        probe = [python, "-c", "import sys; sys.monitoring"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return python
    return None


CALC = '''"""Calculator."""


def double(x):
    return x * 3


def quad(x):
    return double(double(x))
'''
DOUBLE_TESTS = "from calc import double\n\n\ndef test_double():\n    assert double(2) == 4\n"
QUAD_TESTS = "from calc import quad\n\n\ndef test_quad():\n    assert quad(0) == 0\n"
SLOW_TESTS = "import time\n\n\ndef test_slow_{n}():\n    time.sleep(0.4)\n"


PURE = ("pytest", "_pytest", "pluggy", "iniconfig", "packaging", "pygments", "py.py")


def venv_with_our_pytest(where: Path, python: str) -> Path:
    """A venv of ``python`` with this run's pure-Python pytest linked in (packages only:
    no dist-info, so no plugin of ours with compiled parts is loaded by entry point)."""
    subprocess.run([python, "-m", "venv", "--without-pip", str(where)], check=True)
    (site,) = where.glob("lib/python3.*/site-packages")
    ours = Path(pytest.__file__).parent.parent
    for name in PURE:
        if (ours / name).exists():
            (site / name).symlink_to(ours / name)
    return where / "bin" / "python"


def test_a_candidate_that_breaks_a_test_elsewhere_is_rejected_before_the_whole_suite(
    tmp_path: Path,
) -> None:
    python = monitoring_python()
    if python is None:
        pytest.skip("needs a Python 3.12+ interpreter (sys.monitoring) on PATH or in pyenv")
    venv_with_our_pytest(tmp_path / ".venv", python)
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    path = tmp_path / "calc.py"
    path.write_text(CALC)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_double.py").write_text(DOUBLE_TESTS)
    (tests / "test_quad.py").write_text(QUAD_TESTS)
    for n in range(3):  # the rest of the suite: slow, and never runs calc's code
        (tests / f"test_slow_{n}.py").write_text(SLOW_TESTS.format(n=n))
    wrong = CALC.replace("x * 3", "x + 2")  # double(2) == 4, but quad(0) == 4
    right = CALC.replace("x * 3", "x * 2")
    provider = ScriptedProvider([fenced(wrong), fenced(right)])
    settings = build_settings(tmp_path, {"candidates": 1})
    result = run_fix(FixRequest(path, CALC), settings, provider)
    assert result.status == "fixed" and result.fixed == right, result.message
    first, second = [c for c in result.candidates if c.from_model]
    cover = first.verdict.get("cover")
    assert cover is not None and cover.status == "fail", first.verdict
    assert "broken that passed before" in cover.summary
    assert first.verdict.get("suite") is None  # the whole suite never ran for it
    assert second.verdict.get("cover") is not None and second.verdict.get("suite") is not None
    assert second.validated and path.read_text() == CALC
