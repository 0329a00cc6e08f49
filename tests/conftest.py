"""Shared fixtures: small buggy projects written into tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CALC_BUGGY = '''"""Calculator helpers."""


def add(a, b):
    return a - b


def double(x):
    return x * 2
'''

CALC_TESTS = """from calc import add, double


def test_add():
    assert add(2, 3) == 5


def test_double():
    assert double(4) == 8
"""


def write_project(root: Path, source: str = CALC_BUGGY, tests: str | None = CALC_TESTS) -> Path:
    """A project with calc.py and (optionally) tests/test_calc.py; returns calc.py."""
    (root / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    calc = root / "calc.py"
    calc.write_text(source)
    if tests is not None:
        (root / "tests").mkdir()
        (root / "tests" / "test_calc.py").write_text(tests)
    return calc


@pytest.fixture
def calc_project(tmp_path: Path) -> Path:
    return write_project(tmp_path)


@pytest.fixture(autouse=True)
def _own_trust_record(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Tests never read or write the user's record of trusted projects."""
    record = tmp_path_factory.mktemp("trust") / "trusted-projects.json"
    monkeypatch.setenv("AGENTFIX_TRUST_FILE", str(record))
    return record


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Tests never read or write the user's cache (the record of runs: ``agentfix runs``)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("AGENTFIX_CACHE_DIR", str(folder))
    return folder
