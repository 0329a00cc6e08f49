"""What a test run says about a candidate: stopped, passed or failed, or not to be trusted.

Our pytest plugin's per-test report decides when there is one, compared test by test with
the original's; without it, pytest's exit status. A candidate's run whose signals
disagree (pytest's machinery replaced, an exit status or a summary line that the report
does not match) was tampered with by the code under test: it fails, whatever it says.
"""

from __future__ import annotations

from agentfix.cancel import CancelToken
from agentfix.validators.sandbox_run import RunResult
from agentfix.validators.test_report import (
    Baseline,
    Outcome,
    TestReport,
    compare,
    counts_of,
    summary_of,
)
from agentfix.validators.verdict import CheckStatus

NO_TESTS_EXIT = 5  # pytest: no tests collected

Judged = tuple[CheckStatus, str]


def stopped(result: RunResult, planned: float, limit: float, token: CancelToken) -> Judged | None:
    """The run was stopped before its end (cancel, time, disk): nothing else counts."""
    if result.cancelled:
        return CheckStatus.ERROR, f"stopped: {token.reason}"
    if result.timed_out and limit < planned:
        return (
            CheckStatus.ERROR,
            f"the fix's time budget ran out while the tests ran ({limit:.0f}s)",
        )
    if result.timed_out:
        return CheckStatus.FAIL, f"tests timed out after {limit:.0f}s"
    if result.overflowed:
        return CheckStatus.FAIL, result.overflowed
    return None


def by_report(
    result: RunResult, report: TestReport, baseline: Baseline | None, is_pytest: bool
) -> Judged:
    """Judged by the plugin's report: against the original's tests when it is given."""
    if baseline is not None:
        disagreement = _disagreement(result, report, baseline, is_pytest)
        if disagreement:
            return CheckStatus.FAIL, disagreement
        comparison = compare(baseline, report)
        status = CheckStatus.PASS if comparison.ok else CheckStatus.FAIL
        return status, comparison.summary(report)
    status = CheckStatus.FAIL if report.failed else CheckStatus.PASS
    return status, summary_of(report)


def by_exit(result: RunResult, baseline: Baseline | None, is_pytest: bool) -> Judged:
    """Judged without a report: pytest should have written one; other commands' exit."""
    if is_pytest and (result.returncode != NO_TESTS_EXIT or baseline is not None):
        return CheckStatus.FAIL, (
            f"the test run ended without pytest's report (exit {result.returncode}): "
            "the code exited or crashed the test process, started pytest again, or "
            "pytest could not start"
        )
    if result.returncode == NO_TESTS_EXIT and is_pytest:
        return (
            CheckStatus.ERROR,
            "no tests were collected: set agentfix.testCommand to run your tests",
        )
    if result.returncode == 0:
        return CheckStatus.PASS, "tests pass"
    return CheckStatus.FAIL, f"tests failed (exit {result.returncode})"


def _disagreement(
    result: RunResult, report: TestReport, baseline: Baseline, is_pytest: bool
) -> str | None:
    """A candidate's run whose signals disagree was tampered with (``os._exit`` in an
    ``atexit`` hook, a patched report): it is a failure, whatever the report says."""
    if not is_pytest:
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
