"""Slow end to end: ``agentfix fix`` on a real project from PyPI (more-itertools 10.5.0, a
flat package with its ``.venv`` inside and 664 tests), one injected bug, a scripted model
that answers a WRONG rewrite first and the right function next.

Not part of the default run (``testpaths = ["tests"]``); run it with

    .venv/bin/python -m pytest -q tests_e2e

It needs ``pip download`` to reach a package index (sdist of more-itertools, pytest for the
project's venv) and takes about a minute or two. ``AGENTFIX_E2E_CACHE=DIR`` reuses a
project set up there by an earlier run (default: a fresh temporary folder).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    """bench/real_repos.py, imported by path (bench/ is not a package)."""
    path = REPO / "bench" / "real_repos.py"
    spec = importlib.util.spec_from_file_location("agentfix_bench_real_repos", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("AGENTFIX_E2E_CACHE")
    return Path(chosen) if chosen else tmp_path_factory.mktemp("real-repos")


def test_flat_project_gets_the_right_fix_and_never_the_wrong_one(
    bench: ModuleType, cache: Path
) -> None:
    case = next(c for c in bench.CASES if c.name == "mit-tail")
    spec = bench.PROJECTS[case.project]
    setup = bench.prepare_project(spec, cache)  # sdist, git repository, .venv, clean suite
    assert setup["suite"]["ok"], setup["suite"]

    runner = bench.Runner(
        cache=cache,
        checkout=REPO,
        label="e2e",
        full_check="always",
        kill_after=600,
        agentfix=[sys.executable, "-m", "agentfix"],  # the agentfix under test
    )
    record = runner.run_case(case)

    detail = f"{record['status']}: {record['message']}"
    assert record["model_requests"] >= 1, detail
    assert record["status"] == "fixed", detail
    assert record["written"], detail
    # the project's own tests, run independently in its own venv, pass on the written file
    assert record["tests_ok"], record.get("independent_output")
    assert not record["false_validated"]
    # the wrong scripted candidate was tried, failed its tests, and was not written
    assert not record["wrong_written"]
    tried = [c for c in record["candidate_costs"] if c["origin"].startswith("model:")]
    assert any(not c["validated"] for c in tried), record["candidate_costs"]
    # the project's own interpreter ran the tests (its .venv, found without --python)
    assert record["interpreter_is_project_venv"], record["interpreter"]
    # the bug is mended as it was before it was injected: the function as released
    assert record["function_is_ideal"], record["diff_vs_ideal"]
