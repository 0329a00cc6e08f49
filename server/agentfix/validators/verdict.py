"""The outcome of validating one candidate: one ``Check`` per validator, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from agentfix.validators.test_report import TestReport

CheckStatus = Literal["pass", "fail", "skipped", "error", "pending"]


@dataclass(frozen=True)
class Check:
    """One validator's verdict: ``summary`` is one line, ``output`` the (trimmed) raw output."""

    name: str
    status: CheckStatus
    summary: str
    output: str = ""
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    report: TestReport | None = field(default=None, compare=False, repr=False)

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

    def get(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def detail(self, check: str, key: str, default: Any = None) -> Any:
        """``details[key]`` of the named check; ``default`` when it did not run or lacks it."""
        found = self.get(check)
        return default if found is None else found.details.get(key, default)

    def passed(self, *names: str) -> bool:
        """Every named check ran and passed."""
        return all((c := self.get(n)) is not None and c.status == "pass" for n in names)

    @property
    def validated(self) -> bool:
        return (
            bool(self.checks)
            and all(c.status in ("pass", "skipped") for c in self.checks)
            and (any(c.status == "pass" for c in self.checks))
        )

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.status in ("fail", "error")), None)

    def stage_score(self) -> tuple[int, int]:
        """Rank of a failing candidate: how far it got, then fewer test failures is better."""
        order = {"compile": 0, "ruff": 1, "tests": 2, "cover": 3, "suite": 4, "rerun": 5}
        failure = self.first_failure
        if failure is None:
            return (len(order) + 1, 0)
        failed = int(failure.details.get("failed", 0) or 0)
        return (order.get(failure.name, 0), -failed)

    def to_json(self) -> list[dict[str, Any]]:
        return [c.to_json() for c in self.checks]
