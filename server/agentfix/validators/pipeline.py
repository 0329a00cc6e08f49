"""Validate one candidate: compile, then ruff, then tests — a failing cheap check skips the rest.

Tests go in stages. Every candidate first meets the original's failing tests and the rest
of their files (seconds, even on a suite of minutes). Only the best candidates that pass
that stage, one at a time, go on (``confirm``): the other tests that run the functions it
changed (where per-function coverage was recorded and that pays), then the whole test
command, and the one that passes it is run once more in reverse order with another hash
seed: a result that changes is flaky, and a flaky fix is not validated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.ruff import check_ruff
from agentfix.validators.syntax import check_syntax
from agentfix.validators.test_baseline import TestBaselines
from agentfix.validators.test_report import Baseline
from agentfix.validators.tests import RunPlan, TestRunner
from agentfix.validators.verdict import Check, CheckName, CheckStatus, Verdict

Say = Callable[[str], None]
RERUN_SEED = "7919"


@dataclass(frozen=True)
class Validator:
    """Validates candidates for one file against the original's lint and test baselines."""

    path: Path
    original_diagnostics: tuple[Diagnostic, ...]
    tests: TestRunner | None
    baselines: TestBaselines | None = None

    def check_original(self, source: str) -> Verdict:
        """Compile and ruff of the original file, every check run; its diagnostics were
        found once, when the validator was made."""
        original = self.original_diagnostics
        return Verdict(
            (
                check_syntax(source, str(self.path)),
                check_ruff(source, self.path, original, original),
            )
        )

    def validate(self, source: str, token: CancelToken, progress: Say | None = None) -> Verdict:
        """The first stage: compile, ruff, then the first stage of the tests."""
        checks: list[Check] = []
        stages: tuple[Callable[[], Check], ...] = (
            lambda: check_syntax(source, str(self.path)),
            lambda: check_ruff(source, self.path, self.original_diagnostics),
        )
        for stage in stages:
            if checks and checks[-1].status in (CheckStatus.FAIL, CheckStatus.ERROR):
                return Verdict(tuple(checks))
            checks.append(stage())
        if checks[-1].status in (CheckStatus.FAIL, CheckStatus.ERROR):
            return Verdict(tuple(checks))
        if token.stopped:
            return Verdict(
                (*checks, Check(CheckName.STOPPED, CheckStatus.ERROR, f"stopped: {token.reason}"))
            )
        if self.tests is None:
            return Verdict(
                (
                    *checks,
                    Check(CheckName.TESTS, CheckStatus.SKIPPED, "no test command set or found"),
                )
            )
        base = self.baselines
        if base is not None and base.focus is not None:
            plan = RunPlan(files=base.files, timeout=base.focus_limit)
            first = self.tests.run(source, token, plan, base.focus, progress)
            pending = Check(
                CheckName.SUITE,
                CheckStatus.PENDING,
                "the whole test command runs for the best only",
            )
            return Verdict(
                (*checks, first, pending) if first.status == CheckStatus.PASS else (*checks, first)
            )
        plan = RunPlan(timeout=base.full_limit if base else None)
        full = self.tests.run(source, token, plan, base.full if base else None, progress)
        if full.status != CheckStatus.PASS:
            return Verdict((*checks, full))
        return Verdict(
            (*checks, full, Check(CheckName.RERUN, CheckStatus.PENDING, "re-run for the best only"))
        )

    def confirm(
        self, verdict: Verdict, source: str, token: CancelToken, progress: Say | None = None
    ) -> Verdict:
        """The last stages for a candidate that passed the first: the whole test command
        (when the first stage was a subset), then a re-run in another order."""
        checks = [c for c in verdict.checks if c.status != CheckStatus.PENDING]
        if self.tests is None or any(
            c.status != CheckStatus.PASS and c.status != CheckStatus.SKIPPED for c in checks
        ):
            return verdict
        base = self.baselines
        if verdict.get(CheckName.SUITE) is not None and base is not None and base.full is not None:
            cover = self._cover(base, source, token, progress)
            if cover is not None:
                checks.append(cover)
                if cover.status != CheckStatus.PASS:
                    return Verdict(tuple(checks))
        if verdict.get(CheckName.SUITE) is not None:
            plan = RunPlan(timeout=base.full_limit if base else None)
            full = self.tests.run(source, token, plan, base.full if base else None, progress)
            checks.append(replace(full, name=CheckName.SUITE))
            if full.status != CheckStatus.PASS:
                return Verdict(tuple(checks))
        return Verdict((*checks, self._rerun(source, token, progress)))

    def _cover(
        self, base: TestBaselines, source: str, token: CancelToken, progress: Say | None
    ) -> Check | None:
        """The tests elsewhere that run the functions the candidate changed, before the
        whole command: a change that breaks them is rejected in seconds."""
        assert self.tests is not None and base.full is not None
        tests = base.covering(source)
        if not tests:
            return None
        if progress:
            progress(f"running the {len(tests)} other test(s) that use the changed code")
        against = Baseline(base.full.report.only(tests), base.full.targets & tests)
        plan = RunPlan(tests=tuple(sorted(tests)), timeout=base.focus_limit)
        return replace(self.tests.run(source, token, plan, against, progress), name=CheckName.COVER)

    def _rerun(self, source: str, token: CancelToken, progress: Say | None) -> Check:
        """Run again in reverse order with another hash seed: flaky means not validated."""
        assert self.tests is not None
        base = self.baselines
        files: tuple[str, ...] = ()
        limit: float | None = base.full_limit if base else None
        against: Baseline | None = base.full if base else None
        if base is not None and base.focus is not None:
            files, limit, against = base.files, base.focus_limit, base.focus
        plan = RunPlan(files, reverse=True, hash_seed=RERUN_SEED, timeout=limit)
        again = self.tests.run(source, token, plan, against, progress)
        if again.status == CheckStatus.PASS:
            same = f"same result re-run in reverse order with PYTHONHASHSEED={RERUN_SEED}"
            return replace(again, name=CheckName.RERUN, summary=f"{same} ({again.summary})")
        if again.status == CheckStatus.ERROR:
            return replace(again, name=CheckName.RERUN)
        return replace(
            again,
            name=CheckName.RERUN,
            status=CheckStatus.FAIL,
            summary=f"flaky: passed once, then failed when re-run in reverse order with "
            f"PYTHONHASHSEED={RERUN_SEED} ({again.summary}) — not validated",
        )
