"""What a caller asks of the engine, and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from agentfix.engine.candidate import Candidate
from agentfix.source.line_diff import unified
from agentfix.validators.verdict import Verdict


class Status(StrEnum):
    """How a fix ended (its value is what ``--json`` and the editor see)."""

    FIXED = "fixed"  # a validated candidate
    CLEAN = "clean"  # nothing to fix
    NO_FIX = "no_fix"  # rounds spent, nothing validated
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"  # the wall-clock budget ran out
    PROVIDER_ERROR = "provider_error"  # no model answered
    PARTIAL = "partial"  # demo only: ruff's lint fix kept, the rest needs a model
    TEST_SETUP = "test_setup"  # the tests cannot judge a fix (setup error, wrong import)
    PROMPT_TOO_BIG = "prompt_too_big"  # the model's window cannot hold any prompt


@dataclass(frozen=True)
class Target:
    """A diagnostic the caller (an editor) wants gone, as its tool reported it."""

    message: str
    line: int | None = None  # 1-based
    source: str = ""  # the tool that reported it: "Ruff", "mypy"
    code: str = ""  # its rule code: "F401"

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return where + " ".join(part for part in (self.source, self.code, self.message) if part)


@dataclass(frozen=True)
class FixRequest:
    """Fix ``path`` whose current text is ``source`` (the editor buffer, maybe unsaved);
    ``targets``: diagnostics the caller wants gone, none for the whole file. ``focus``:
    where the user points (the function under the cursor): named to the model and cited,
    but not a problem of its own, so a file that passes every check is still clean."""

    path: Path
    source: str
    targets: tuple[Target, ...] = ()
    focus: Target | None = None


@dataclass
class FixResult:
    status: Status
    message: str
    path: Path
    rel_path: str
    original: str
    fixed: str | None = None
    best: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    original_verdict: Verdict | None = None
    rounds: int = 0
    models: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    isolation: str = ""
    test_command: str | None = None
    provider_error: str | None = None

    def diff(self) -> str:
        if self.fixed is None:
            return ""
        return unified(self.original, self.fixed, self.rel_path)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "path": str(self.path),
            "rounds": self.rounds,
            "models": self.models,
            "test_command": self.test_command,
            "isolation": self.isolation,
            "provider_error": self.provider_error,
            "original_checks": self.original_verdict.to_json() if self.original_verdict else [],
            "best_candidate": self.best.id if self.best else None,
            "candidates": [c.to_json(self.original) for c in self.candidates],
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "diff": self.diff(),
        }
