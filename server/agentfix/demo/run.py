"""Run the fix loop on a temporary copy of the bundled example and explain every step."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from agentfix.cancel import CancelToken
from agentfix.engine.request import FixRequest, FixResult
from agentfix.engine.run import run_fix
from agentfix.progress import ProgressSink
from agentfix.providers import make_provider
from agentfix.settings import build_settings

EXAMPLE = Path(__file__).with_name("example")


def run_demo(overrides: dict[str, Any], progress: ProgressSink, token: CancelToken) -> int:
    work = Path(tempfile.mkdtemp(prefix="agentfix-demo-"))
    project = work / "example"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__"))
    target = project / "stats.py"
    print(f"agentfix demo: a buggy project copied to {project}")
    print("  stats.py has two unused imports (lint) and an off-by-one bug in mean();")
    print("  tests/test_stats.py catches the bug.\n")
    # the example needs only pytest, which agentfix's own interpreter has
    defaults = {"timeout": overrides.get("timeout") or 600, "python": sys.executable}
    settings = build_settings(project, {**overrides, **defaults})
    provider = make_provider(settings)
    source = target.read_text(encoding="utf-8")
    result = run_fix(
        FixRequest(target, source), settings, provider, token=token, progress=progress,
        allow_partial=True,
    )  # fmt: skip
    if result.fixed is not None:
        target.write_text(result.fixed, encoding="utf-8")
    _report(result, settings.model, provider.base_url)
    return 0 if result.status in ("fixed", "partial") else 1


def _report(result: FixResult, model: str, url: str) -> None:
    if result.fixed is not None:
        print(result.diff())
    print(result.message)
    if result.status == "partial" and result.provider_error:
        print(
            "\nWhat could not be done: the failing test (test_mean) needs a model to fix the "
            f"logic bug, and no model answered at {url}.\n"
            f"Start one (`ollama serve` and `ollama pull {model}`), or point agentfix at any "
            "OpenAI-compatible server:\n"
            "  agentfix demo --provider openai --base-url http://127.0.0.1:8080/v1 --model NAME"
        )
    elif result.status == "partial":
        print(f"\nThe model ({model}) found no fix that passes the tests; only ruff's was kept.")
    print(f"\nTest isolation here: {result.isolation}", file=sys.stderr)
