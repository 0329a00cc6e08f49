"""Validator 3: the project's own tests, run in a throwaway copy inside the sandbox.

The tests must import the candidate, not the user's file: inside bubblewrap the copy is
shown at the project's real path (so an editable install's ``.pth`` or a path hard-coded
in a conftest leads to the copy) and the project's own environment is shown read-only
beside it; without bubblewrap the copy's import root goes first on ``PYTHONPATH``. Our
pytest plugin then reports where the file under test was imported from, and each test's
outcome: the verdict comes from that report, compared test by test with the original's.
"""

from __future__ import annotations

import os
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.errors import AgentfixError
from agentfix.validators.sandbox import Isolation, Limits, Mount, RunResult, run_sandboxed
from agentfix.validators.sandbox_view import interpreter_paths
from agentfix.validators.test_report import (
    Baseline,
    Outcome,
    TestReport,
    compare,
    counts_of,
    read_report,
    summary_of,
)
from agentfix.validators.verdict import Check, CheckStatus
from agentfix.validators.workspace import Snapshot, Workspace, materialize, write_candidate

NO_TESTS_EXIT = 5  # pytest: no tests collected
SETUP_FAILED = 125  # launcher.py could not apply its limits
SANDBOX_MARKER = "agentfix-sandbox-error:"
PLUGIN_DIR = str(Path(__file__).with_name("pytest_plugin"))
PROGRESS_EVERY = 1.0
CONFIG_FILES = frozenset(
    {"conftest.py", "pytest.ini", ".pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"}
)
MAX_READ_ONLY = 1500  # more test files than this: their folders are read-only instead


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
        parts = list(Path(self.rel_path).with_suffix("").parts)
        folder = self.snapshot.root / Path(self.rel_path).parent
        depth = 0
        while depth < len(parts) - 1 and (folder / "__init__.py").is_file():
            depth += 1
            folder = folder.parent
        names = parts[len(parts) - 1 - depth :]
        if names[-1] == "__init__":
            names = names[:-1]
        return ".".join(names)

    def import_root(self, project: Path) -> Path:
        """The folder the file's top package lives in, under ``project``."""
        depth = len(self.module.split(".")) - (0 if self.rel_path.endswith("__init__.py") else 1)
        folder = (project / self.rel_path).parent
        for _ in range(depth):
            folder = folder.parent
        return folder

    def environment(self, ws: Workspace, inside: Path, plan: RunPlan) -> dict[str, str]:
        """A scrubbed environment: no secrets, the project's interpreter first on PATH."""
        bindir = str(Path(self.python).parent)
        paths = [] if self.isolation.bwrap else [str(self.import_root(ws.project))]
        env = {
            "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(ws.home),
            "TMPDIR": str(ws.tmp),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": plan.hash_seed,
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join([*paths, PLUGIN_DIR]),
            "PYTEST_PLUGINS": "agentfix_report",
            "AGENTFIX_REPORT": str(ws.base / "report.json"),
            "AGENTFIX_PROGRESS": str(ws.base / "progress"),
            "AGENTFIX_TARGET": "\n".join(
                str(inside / rel) for rel in self.snapshot.same_file(self.rel_path)
            ),
            "AGENTFIX_TARGET_MODULE": self.module,
            "NO_COLOR": "1",
            "PY_COLORS": "0",
            "TERM": "dumb",
        }
        if plan.files or plan.tests:
            env["AGENTFIX_SELECT"] = "\n".join((*plan.files, *plan.tests))
        if plan.reverse:
            env["AGENTFIX_REVERSE"] = "1"
        if plan.touch:
            env["AGENTFIX_TOUCH"] = "1"
        if plan.cover:
            env["AGENTFIX_COVER"] = "1"
        venv = Path(bindir).parent
        if (venv / "pyvenv.cfg").exists():
            env["VIRTUAL_ENV"] = str(venv)
        return env

    def _mounts(self, ws: Workspace) -> tuple[Path, list[Mount]]:
        """Where the copy is seen inside the sandbox, and the mounts that make it so."""
        root = self.snapshot.root
        if not self.isolation.bwrap or ws.base.is_relative_to(root):
            return ws.project, []
        mounts = [Mount(ws.project, root, writable=True)]
        copied = {Path(rel).parts[0] for rel, _ in self.snapshot.files} | {
            Path(rel).parts[0] for rel in self.snapshot.dirs
        }
        try:
            left_out = sorted(e.name for e in os.scandir(root) if e.name not in copied)
        except OSError:
            left_out = []
        # what the copy leaves out (the project's .venv, build output) stays visible, read-only
        mounts += [Mount(root / name, root / name) for name in left_out]
        mounts += [Mount(p, root / p.relative_to(ws.project)) for p in ws.linked]
        # the tests judge the candidate: it may not rewrite them (or pytest's configuration)
        mounts += [Mount(ws.project / rel, root / rel) for rel in self.judges()]
        return root, mounts

    def judges(self) -> list[str]:
        """The copy's test files, conftests and pytest configuration: read-only inside."""
        found = [rel for rel, _ in self.snapshot.files if _judges(Path(rel).name)]
        if len(found) <= MAX_READ_ONLY:
            return found
        folders = sorted({str(Path(rel).parent) for rel in found}, key=len)
        outermost: list[str] = []
        for folder in folders:
            if folder != "." and not any(Path(folder).is_relative_to(o) for o in outermost):
                outermost.append(folder)
        return outermost + [rel for rel in found if str(Path(rel).parent) == "."]

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
            inside, mounts = self._mounts(ws)
            result = run_sandboxed(
                self.command,
                cwd=inside,
                writable=ws.base,
                env=self.environment(ws, inside, plan),
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
        status, text = self._judge(result, report, source, baseline, planned, limit, token)
        if result.timed_out:
            details["timed_out"] = True
            details["budget"] = limit < planned
        counts = counts_of(report, result.output)
        return Check("tests", status, text, output, seconds, {**counts, **details}, report)

    def _judge(
        self,
        result: RunResult,
        report: TestReport | None,
        source: str,
        baseline: Baseline | None,
        planned: float,
        limit: float,
        token: CancelToken,
    ) -> tuple[CheckStatus, str]:
        if result.cancelled:
            return "error", f"stopped: {token.reason}"
        if result.timed_out and limit < planned:
            return "error", f"the fix's time budget ran out while the tests ran ({limit:.0f}s)"
        if result.timed_out:
            return "fail", f"tests timed out after {limit:.0f}s"
        if result.overflowed:
            return "fail", result.overflowed
        if report is not None:
            self._check_import(report)
            if baseline is not None:
                disagreement = self._disagreement(result, report, baseline)
                if disagreement:
                    return "fail", disagreement
                comparison = compare(baseline, report)
                return ("pass" if comparison.ok else "fail"), comparison.summary(report)
            status: CheckStatus = "fail" if report.failed else "pass"
            return status, summary_of(report)
        if self.is_pytest and (result.returncode != NO_TESTS_EXIT or baseline is not None):
            return "fail", (
                f"the test run ended without pytest's report (exit {result.returncode}): "
                "the code exited or crashed the test process, started pytest again, or "
                "pytest could not start"
            )
        if result.returncode == NO_TESTS_EXIT and self.is_pytest:
            return "error", "no tests were collected: set agentfix.testCommand to run your tests"
        if result.returncode == 0:
            return "pass", "tests pass"
        return "fail", f"tests failed (exit {result.returncode})"

    def _disagreement(
        self, result: RunResult, report: TestReport, baseline: Baseline
    ) -> str | None:
        """A candidate's run whose signals disagree was tampered with (``os._exit`` in an
        ``atexit`` hook, a patched report): it is a failure, whatever the report says."""
        if not self.is_pytest:
            return None
        replaced = sorted(report.tampered - baseline.report.tampered)
        if replaced:
            shown = ", ".join(replaced[:3]) + (" ..." if len(replaced) > 3 else "")
            return (
                f"the code under test replaced pytest's own machinery ({shown}): its test "
                "results cannot be trusted — not validated"
            )
        if result.returncode != report.exitstatus:
            return (
                f"the test process exited with {result.returncode} but pytest's own status "
                f"was {report.exitstatus}: the code under test ended the test run itself "
                "(os._exit, an atexit hook) — not validated"
            )
        said = counts_of(None, result.output)
        bad = report.count(Outcome.FAILED, Outcome.ERROR)
        if said.get("failed", 0) + said.get("errors", 0) > bad:
            return (
                f"pytest's summary says {said.get('failed', 0)} failed and "
                f"{said.get('errors', 0)} error(s) but its per-test results show {bad}: the "
                "results were tampered with — not validated"
            )
        return None

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


def _judges(name: str) -> bool:
    return name in CONFIG_FILES or (
        name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))
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
