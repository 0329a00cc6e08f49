"""Validate one candidate: compile, then ruff, then tests — a failing cheap check skips the rest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.validators.ruff import Diagnostic, check_ruff
from agentfix.validators.syntax import check_syntax
from agentfix.validators.tests import TestRunner
from agentfix.validators.verdict import Check, Verdict


@dataclass(frozen=True)
class Validator:
    """Validates candidates for one file against the original's lint baseline."""

    path: Path
    original_diagnostics: tuple[Diagnostic, ...]
    tests: TestRunner | None

    def validate(self, source: str, token: CancelToken, run_all: bool = False) -> Verdict:
        """``run_all`` runs every check even after a failure (used for the original file)."""
        checks: list[Check] = []
        stages = (
            lambda: check_syntax(source, str(self.path)),
            lambda: check_ruff(source, self.path, list(self.original_diagnostics)),
            self._tests_stage(source, token),
        )
        for stage in stages:
            if checks and checks[-1].status in ("fail", "error") and not run_all:
                break
            if token.stopped:
                checks.append(Check("stopped", "error", f"stopped: {token.reason}"))
                break
            checks.append(stage())
        return Verdict(tuple(checks))

    def _tests_stage(self, source: str, token: CancelToken):
        if self.tests is None:
            return lambda: Check("tests", "skipped", "no test command set or found")
        runner = self.tests
        return lambda: runner.run(source, token)
