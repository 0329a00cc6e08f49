"""The outcome of validating one candidate: one ``Check`` per validator, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.test_report import TestReport


class CheckStatus(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    SKIPPED = "skipped"  # not run, and not needed (no test command)
    ERROR = "error"  # could not judge (setup error, a tool that did not run)
    PENDING = "pending"  # a later stage, run for the best candidates only


class CheckName(StrEnum):
    """The checks, in the order a candidate meets them."""

    COMPILE = "compile"
    RUFF = "ruff"
    TESTS = "tests"  # the first stage: the original's failing tests and their files
    COVER = "cover"  # other tests that run the changed functions
    SUITE = "suite"  # the whole test command
    RERUN = "rerun"  # the whole command again, in reverse order with another hash seed
    IMPROVES = "improves"  # a passing candidate must change something that failed
    STOPPED = "stopped"  # cancelled or out of budget before the tests


TEST_CHECKS = (CheckName.TESTS, CheckName.COVER, CheckName.SUITE, CheckName.RERUN)


@dataclass(frozen=True)
class Check:
    """One validator's verdict: ``summary`` is one line, ``output`` the (trimmed) raw output."""

    name: CheckName
    status: CheckStatus
    summary: str
    output: str = ""
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    report: TestReport | None = field(default=None, compare=False, repr=False)
    lint: tuple[Diagnostic, ...] = field(default=(), compare=False, repr=False)  # ruff's

    def __post_init__(self) -> None:  # plain strings (from a record, a test) as the enums
        object.__setattr__(self, "name", CheckName(self.name))
        object.__setattr__(self, "status", CheckStatus(self.status))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "summary": self.summary,
            "seconds": round(self.seconds, 4),
            "details": self.details,
        }


@dataclass(frozen=True)
class Verdict:
    """All checks of one candidate. ``validated`` means every check that ran passed."""

    checks: tuple[Check, ...]

    def get(self, name: CheckName) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def lint_count(self) -> int:
        """Ruff diagnostics left (0 when ruff did not run)."""
        ruff = self.get(CheckName.RUFF)
        return int(ruff.details.get("count", 0)) if ruff else 0

    @property
    def lint_left(self) -> tuple[Diagnostic, ...]:
        """Ruff's diagnostics left (none when ruff did not run)."""
        ruff = self.get(CheckName.RUFF)
        return ruff.lint if ruff else ()

    def passed(self, *names: CheckName) -> bool:
        """Every named check ran and passed."""
        return all((c := self.get(n)) is not None and c.status == CheckStatus.PASS for n in names)

    @property
    def validated(self) -> bool:
        ok = (CheckStatus.PASS, CheckStatus.SKIPPED)
        return any(c.status == CheckStatus.PASS for c in self.checks) and all(
            c.status in ok for c in self.checks
        )

    @property
    def first_failure(self) -> Check | None:
        bad = (CheckStatus.FAIL, CheckStatus.ERROR)
        return next((c for c in self.checks if c.status in bad), None)

    @property
    def awaits(self) -> bool:
        """Passed every check so far, with the last stages still to run."""
        ok = (CheckStatus.PASS, CheckStatus.SKIPPED, CheckStatus.PENDING)
        return any(c.status == CheckStatus.PENDING for c in self.checks) and all(
            c.status in ok for c in self.checks
        )

    def stage_score(self) -> tuple[int, int]:
        """Rank of a failing candidate: how far it got, then fewer test failures is better."""
        order = {
            name: i for i, name in enumerate((CheckName.COMPILE, CheckName.RUFF, *TEST_CHECKS))
        }
        failure = self.first_failure
        if failure is None:
            return (len(order) + 1, 0)
        failed = int(failure.details.get("failed", 0) or 0)
        return (order.get(failure.name, 0), -failed)

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.checks]
