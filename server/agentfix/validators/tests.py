"""Validator 3: the project's own tests, run in a throwaway copy inside the sandbox.

The tests must import the candidate, not the user's file (how the copy is shown to them:
``test_view``). Our pytest plugin then reports where the file under test was imported
from, and each test's outcome: a run that imported it from elsewhere stops the fix
(``ImportMismatch``), and the verdict comes from that report, compared test by test with
the original's (``test_judge``).
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.errors import AgentfixError
from agentfix.validators.sandbox import Isolation
from agentfix.validators.sandbox_limits import Limits
from agentfix.validators.sandbox_run import RunResult, run_sandboxed
from agentfix.validators.sandbox_view import interpreter_paths
from agentfix.validators.test_judge import Judged, by_exit, by_report, stopped
from agentfix.validators.test_report import Baseline, TestReport, counts_of, read_report
from agentfix.validators.test_view import PLUGIN_DIR, copy_mounts, environment, target_module
from agentfix.validators.verdict import Check, CheckName
from agentfix.validators.workspace import Snapshot, materialize, write_candidate

SETUP_FAILED = 125  # launcher.py could not apply its limits
SANDBOX_MARKER = "agentfix-sandbox-error:"
PROGRESS_EVERY = 1.0


class SandboxError(AgentfixError):
    """The sandbox itself failed: no test result can be trusted, so the fix stops."""


class ImportMismatch(SandboxError):
    """The tests import the file under test from somewhere other than the copy."""


@dataclass(frozen=True)
class RunPlan:
    """One test run: the whole command, or only some test files (the cheap first stage)."""

    files: tuple[str, ...] = ()  # empty (and no tests): the whole test command
    tests: tuple[str, ...] = ()  # single test ids to run (with the files, if any)
    reverse: bool = False  # run the tests in reverse order (a re-run for flakiness)
    hash_seed: str = "0"
    touch: bool = False  # record which tests run the file under test's code
    cover: bool = False  # record which of its functions each test runs (3.12+)
    timeout: float | None = None  # None: the runner's limit

    @property
    def scope(self) -> str:
        return "cover" if self.tests else "focus" if self.files else "full"


@dataclass(frozen=True)
class TestRunner:
    """Everything needed to run the tests of one project for many candidates."""

    command: str
    snapshot: Snapshot
    rel_path: str
    python: str
    timeout: float
    isolation: Isolation
    limits: Limits

    __test__ = False  # not a pytest test class

    @property
    def is_pytest(self) -> bool:
        """A pytest run: per-test results and the import check come from our plugin."""
        try:
            words = shlex.split(self.command)
        except ValueError:
            return False
        return any(Path(w).name in ("pytest", "py.test") for w in words)

    @property
    def module(self) -> str:
        """The dotted name the file under test is imported by (its import root's view)."""
        return target_module(self.snapshot.root, self.rel_path)

    def run(
        self,
        source: str,
        token: CancelToken,
        plan: RunPlan = RunPlan(),
        baseline: Baseline | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Check:
        """Run the tests on ``source``; judged against ``baseline`` when one is given."""
        start = time.monotonic()
        ws = materialize(self.snapshot, link_large=self.isolation.protects_links)
        planned = plan.timeout or self.timeout
        remaining = token.remaining()
        limit = planned if remaining is None else max(0.5, min(planned, remaining))
        try:
            write_candidate(ws, self.snapshot.same_file(self.rel_path), source)
            inside, mounts = copy_mounts(self, ws)
            result = run_sandboxed(
                self.command,
                cwd=inside,
                writable=ws.base,
                env=environment(self, ws, inside, plan),
                timeout=limit,
                token=token,
                isolation=self.isolation,
                limits=self.limits,
                mounts=mounts,
                needs=(*interpreter_paths(self.python), Path(PLUGIN_DIR)),
                on_tick=_ticker(ws.base / "progress", progress) if progress else None,
            )
            report = read_report(ws.base / "report.json")
        finally:
            ws.cleanup()
        output = result.output.replace(str(ws.project) + "/", "")
        if self.isolation.bwrap:
            output = output.replace(str(self.snapshot.root) + "/", "")
        if result.returncode == SETUP_FAILED and SANDBOX_MARKER in result.output:
            raise SandboxError(
                f"the test sandbox could not start: {result.output.strip()} — set "
                "agentfix.sandbox to 'none' to run tests without isolation, or report this."
            )
        details = {
            "scope": plan.scope,
            "copy_seconds": round(ws.copy_seconds, 4),
            "exit": result.returncode,
            "limit": round(limit, 1),
        }
        seconds = time.monotonic() - start
        status, text = self._judge(result, report, baseline, planned, limit, token)
        if result.timed_out:
            details["timed_out"] = True
            details["budget"] = limit < planned
        counts = counts_of(report, result.output)
        return Check(CheckName.TESTS, status, text, output, seconds, {**counts, **details}, report)

    def _judge(
        self,
        result: RunResult,
        report: TestReport | None,
        baseline: Baseline | None,
        planned: float,
        limit: float,
        token: CancelToken,
    ) -> Judged:
        ended = stopped(result, planned, limit, token)
        if ended is not None:
            return ended
        if report is None:
            return by_exit(result, baseline, self.is_pytest)
        self._check_import(report)
        return by_report(result, report, baseline, self.is_pytest)

    def _check_import(self, report: TestReport) -> None:
        """Prove the tests imported the file under test from the copy (its path: inside
        bwrap the copy is at the real path), not a module of that name from elsewhere."""
        imported = report.imported
        if imported is None:
            return
        if imported.elsewhere and imported.file is None:
            raise ImportMismatch(
                f"the tests import {self.module} from {imported.elsewhere[0]}, not from the "
                f"project's {self.rel_path}, so they cannot test a change to it — install the "
                f"project in editable mode (`{self.python} -m pip install -e .`), or set "
                "agentfix.python to the interpreter whose environment imports it from the "
                "project."
            )


def _ticker(path: Path, progress: Callable[[str], None]) -> Callable[[], None]:
    """Read the plugin's ``done total`` about once a second and report it."""
    read_at = [0.0]
    shown = [""]

    def tick() -> None:
        now = time.monotonic()
        if now - read_at[0] < PROGRESS_EVERY:
            return
        read_at[0] = now
        try:
            done, total = path.read_text(encoding="utf-8").split()
        except (OSError, ValueError):
            return
        text = f"{done}/{total} tests run"
        if text != shown[0]:
            shown[0] = text
            progress(text)

    return tick
