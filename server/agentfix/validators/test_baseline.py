"""The original's test results, taken once per fix: what candidates are judged against.

The whole test command runs once on the original. Its failing tests, and the rest of
their files, make the cheap first stage every candidate goes through (run again here
with a record of which tests execute the file under test, so failures elsewhere are
told apart from the file's own). The suite's duration scales the time limits, so a slow
but healthy suite is never mistaken for a hang. A suite that cannot run at all (missing
dependencies, a command that needs the network, a collection error elsewhere) stops
the fix here, before any model is asked, with cause and fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.errors import AgentfixError
from agentfix.validators.disk_watch import STOPPED
from agentfix.validators.test_cover import changed_functions, covering
from agentfix.validators.test_judge import NO_TESTS_EXIT
from agentfix.validators.test_report import Baseline, TestReport, implicated
from agentfix.validators.tests import RunPlan, TestRunner
from agentfix.validators.verdict import Check, CheckStatus

SLACK = 2.5  # a candidate's run may take this many times the original's (+ START_S)
START_S = 10.0
MAX_LISTED = 5
NETWORK_SIGNS = (
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Could not resolve host",
    "Name or service not known",
    "Failed to establish a new network connection",
)


class TestSetupError(AgentfixError):
    """The original's tests cannot run: no candidate could ever be judged."""

    __test__ = False


@dataclass(frozen=True)
class TestBaselines:
    """The original's results: of the whole command, and of the first stage's files."""

    full: Baseline | None  # None: not a pytest run, judged by exit status
    focus: Baseline | None  # None: no failing tests, candidates run the whole command
    check: Check  # the original's tests check, as the user sees it
    full_limit: float
    focus_limit: float
    source: str = ""  # the original file, to tell which functions a candidate changed

    def covering(self, candidate: str) -> frozenset[str]:
        """Tests outside the first stage's files that run a function the candidate
        changed, when running them before the whole command pays (see ``test_cover``)."""
        if self.full is None:
            return frozenset()
        changed = changed_functions(self.source, candidate)
        return covering(self.full.report, changed, self.files)

    @property
    def files(self) -> tuple[str, ...]:
        return self.focus.report.files(self.focus.report.failed) if self.focus else ()

    def import_note(self, rel_path: str, command: str) -> str | None:
        """Tests that never import the file can only show a change breaks nothing."""
        imported = self.full.report.imported if self.full else None
        if imported is None or imported.file is not None:
            return None
        return (
            f"the tests (`{command}`) never import {rel_path}: they can show that a change "
            "breaks nothing they use, not that it fixes anything"
        )

    def stopped_note(self) -> str | None:
        """A command that stops at the first failures (``-x``, ``--maxfail``) leaves the
        rest of the suite unknown: breaking those tests would go unseen."""
        report = self.full.report if self.full else None
        if report is None:
            return None
        ran = sum(1 for t in report.outcomes if "::" in t)
        if ran >= report.collected:
            return None
        return (
            f"the original's test run stopped after {ran} of {report.collected} tests (-x or "
            "--maxfail in the test command?): a fix cannot be checked against the tests that "
            "did not run — drop those options from agentfix.testCommand"
        )

    def unrelated_note(self, rel_path: str) -> str | None:
        """Failures that were there before and do not touch the file, said plainly."""
        if self.full is None or not self.full.unrelated:
            return None
        ids = sorted(self.full.unrelated)
        shown = ", ".join(ids[:MAX_LISTED]) + (" ..." if len(ids) > MAX_LISTED else "")
        return (
            f"{len(ids)} test(s) failed before any change and do not run {rel_path}'s code, "
            f"so a fix is not asked to mend them and they are reported as still failing: "
            f"{shown}"
        )


def establish(
    runner: TestRunner,
    source: str,
    target: Path,
    token: CancelToken,
    progress: Callable[[str], None] | None = None,
) -> TestBaselines:
    """Run the original's tests (whole, then its failing files); raise ``TestSetupError``
    when they cannot run, ``ImportMismatch`` when they would not test the copy."""
    remaining = token.remaining()
    budget = remaining if remaining is not None else runner.timeout * 20
    plan = RunPlan(cover=True, timeout=max(runner.timeout, budget))
    first = runner.run(source, token, plan, None, progress)
    if first.status == CheckStatus.ERROR and token.stopped:
        return _plain(first, runner)
    if first.details.get("timed_out"):
        raise TestSetupError(
            f"the original's tests (`{runner.command}`) did not finish within {first.seconds:.0f}s "
            "of the fix's budget, so no candidate could be tested — raise agentfix.timeout "
            "(--timeout), or set agentfix.testCommand to the tests of this file."
        )
    report = first.report
    if report is None:
        _no_report(first, runner)
        return _plain(first, runner)
    full_limit = max(runner.timeout, SLACK * first.seconds + START_S)
    if report.collected == 0 and not report.failed:
        summary = "no tests were collected: set agentfix.testCommand to run your tests"
        return _plain(replace(first, status=CheckStatus.ERROR, summary=summary), runner)
    _collection_errors(report, runner, target)
    targets = implicated(report, target, runner.snapshot.root)
    if not report.failed:
        full = Baseline(report, frozenset())
        return TestBaselines(full, None, first, full_limit, full_limit, source)
    files = report.files(report.failed)
    plan = RunPlan(files=files, touch=True, timeout=full_limit)
    if progress:
        progress(f"the original fails {len(report.failed)} test(s): running their files again")
    second = runner.run(source, token, plan, None, progress)
    focus_report = second.report
    if focus_report is None or second.status == CheckStatus.ERROR:
        full = Baseline(report, report.failed)  # not known which run the file: all count
        return TestBaselines(full, None, _as_check(first, full), full_limit, full_limit, source)
    focus_targets = implicated(focus_report, target, runner.snapshot.root)
    targets = (targets | focus_targets) & report.failed
    full = Baseline(report, targets)
    focus: Baseline | None = Baseline(focus_report, focus_targets & focus_report.failed)
    # a fixed file can take longer than the buggy one (failing tests stop early, property
    # tests that pass run all their examples): never less than the whole suite took
    focus_limit = max(START_S * 2, SLACK * second.seconds + START_S, first.seconds + START_S)
    if focus is not None and not focus.targets:
        focus = None  # every failure is elsewhere: candidates face the whole command
    return TestBaselines(full, focus, _as_check(first, full), full_limit, focus_limit, source)


def _plain(check: Check, runner: TestRunner) -> TestBaselines:
    limit = max(runner.timeout, SLACK * check.seconds + START_S)
    return TestBaselines(None, None, check, limit, limit)


def _as_check(check: Check, full: Baseline) -> Check:
    """The original fails only where the file is concerned; other failures are noted."""
    status = CheckStatus.FAIL if full.targets else CheckStatus.PASS
    return replace(check, status=status)


def _no_report(check: Check, runner: TestRunner) -> None:
    """A pytest command that wrote no report never ran the tests: say why and stop."""
    exit_code = check.details.get("exit")
    tail = "\n".join(check.output.strip().splitlines()[-8:])
    if exit_code != 0 and any(sign in check.output for sign in NETWORK_SIGNS):
        raise TestSetupError(
            f"the test command `{runner.command}` needs the network (exit {exit_code}):\n"
            f"{tail}\n— tests run sandboxed with no network: set agentfix.testCommand to run "
            f"the tests directly, e.g. `python -m pytest`, with {runner.python}."
        )
    if STOPPED in check.output:  # the original's own tests: agentfix cannot test candidates
        raise TestSetupError(
            f"the test command `{runner.command}` wrote more than "
            f"{check.output.split(STOPPED)[-1].strip()} — agentfix tests candidates in a copy "
            "and stops a run that fills the disk; make the tests write less, or point "
            "agentfix.testCommand at a part of the suite that does."
        )
    if "MemoryError" in check.output or "Cannot allocate memory" in check.output:
        raise TestSetupError(
            f"the test command `{runner.command}` ran out of memory before running any test "
            f"(exit {exit_code}) under agentfix.memoryLimitMb = {runner.limits.memory_mb}:\n"
            f"{tail}\n— raise agentfix.memoryLimitMb (memory-limit-mb in [tool.agentfix])."
        )
    if exit_code == 127 or "not found" in tail:
        raise TestSetupError(
            f"the test command `{runner.command}` could not start (exit {exit_code}):\n{tail}\n"
            "— set agentfix.testCommand to a command that runs your tests with "
            f"{runner.python}."
        )
    if runner.is_pytest and exit_code not in (0, NO_TESTS_EXIT):
        raise TestSetupError(
            f"the test command `{runner.command}` failed before running any test "
            f"(exit {exit_code}):\n{tail}\n— check that it works in a shell with "
            f"{runner.python} and no network (tests run sandboxed), or set "
            "agentfix.testCommand / agentfix.python."
        )


def _collection_errors(report: TestReport, runner: TestRunner, target: Path) -> None:
    """Test files that cannot even be imported, for a reason other than this file."""
    broken = [t for t in report.failed if "::" not in t]  # a file or the session
    if not broken:
        return
    mine = implicated(
        TestReport({t: report.outcomes[t] for t in broken}, texts=report.texts),
        target,
        runner.snapshot.root,
    )
    others = [t for t in broken if t not in mine]
    if not others:
        return
    text = report.texts.get(others[0], "")
    cause = next(
        (line.strip("E ").strip() for line in reversed(text.splitlines()) if "Error" in line),
        text.strip().splitlines()[-1] if text.strip() else "unknown error",
    )
    raise TestSetupError(
        f"the tests cannot be collected: {others[0]}: {cause} — install the project's test "
        f"dependencies into {runner.python}, or set agentfix.python to the interpreter that "
        "has them (and agentfix.testCommand if the tests need more)."
    )
