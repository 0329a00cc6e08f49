"""The graph state: everything that changes while a file is fixed, as data.

Nodes return partial updates; lists that grow (tried candidates, notes for the user, the
event log) and the timings have reducers, so a node never reads-modifies-writes them and
no node mutates a shared object. Services (provider, validator, pools, cancel token) live
in the run ``Context``. The state is what a checkpointer records, step by step.
"""

from __future__ import annotations

import operator
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, TypedDict

from agentfix.engine.candidate import Candidate
from agentfix.engine.request import Status
from agentfix.validators.test_baseline import TestBaselines
from agentfix.validators.verdict import Verdict


class Route(StrEnum):
    """The nodes a run goes on to after ``decide`` (or ends)."""

    CONNECT = "connect"  # health-check a model (the first, or the fallback)
    GENERATE = "generate"  # the next batch of this round's candidates
    FEEDBACK = "feedback"  # then the next round


@dataclass(frozen=True)
class Event:
    """One entry of the run's log (``--trace`` and ``agentfix runs show``): ``at`` is
    seconds since the run started."""

    kind: str
    at: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"t": round(self.at, 4), "kind": self.kind, **self.data}


def event(started: float, kind: str, **data: Any) -> Event:
    return Event(kind, time.monotonic() - started, data)


def added_times(old: dict[str, float], new: dict[str, float]) -> dict[str, float]:
    merged = dict(old)
    for key, seconds in new.items():
        merged[key] = merged.get(key, 0.0) + seconds
    return merged


def _new_notes(old: list[str], new: list[str]) -> list[str]:
    return [*old, *(n for n in dict.fromkeys(new) if n not in old)]


class FixState(TypedDict):
    # the model and its rounds
    model: str
    round: int  # model rounds done with the current model
    total_rounds: int  # model rounds done in all
    connected: bool  # the current model passed its health check
    fallback_used: bool
    num_ctx: int | None  # the window asked of the server (Ollama), sized once per fix
    asked: int  # answers asked for in the current round (rounds may go in batches)
    failed: int  # of those, requests that failed: all failed means the provider is down
    # what the model is shown
    base: str  # the text answers are merged into: ruff-fixed when that is sound
    problems: str  # what fails in ``base``, as the prompt says it
    suspects: tuple[str, ...]  # functions the failing tests point at, most used first
    cited: tuple[int, ...]  # lines of ``base`` the problems point at (lint, targets, compile)
    base_lint: int  # ruff diagnostics left in ``base``: then formatting-only edits count
    base_fixed: int  # the original's failing tests ``base`` passes: a model's partial fix
    feedback: str | None  # the last round's best failing attempt and why it failed
    told: list[str]  # remarks on earlier answers, shown in this round's prompts
    remarks: list[str]  # remarks on this round's answers, to be told in the next round
    # the original file
    original: Verdict | None
    baselines: TestBaselines | None  # the original's test results
    tests_judge: bool  # False when the test command collects no tests
    # candidates
    next_id: int
    pending: list[Candidate]  # generated, not yet validated
    tried: Annotated[list[Candidate], operator.add]
    # the outcome, and what the user is told
    status: Status | None  # None while running
    message: str
    provider_error: str | None
    notes: Annotated[list[str], _new_notes]  # said with the result, each once
    timings: Annotated[dict[str, float], added_times]
    log: Annotated[list[Event], operator.add]


def initial_state(model: str, notes: list[str]) -> FixState:
    return FixState(
        model=model,
        round=0,
        total_rounds=0,
        connected=False,
        fallback_used=False,
        num_ctx=None,
        asked=0,
        failed=0,
        base="",
        problems="",
        suspects=(),
        cited=(),
        base_lint=0,
        base_fixed=0,
        feedback=None,
        told=[],
        remarks=[],
        original=None,
        baselines=None,
        tests_judge=True,
        next_id=1,
        pending=[],
        tried=[],
        status=None,
        message="",
        provider_error=None,
        notes=notes,
        timings={},
        log=[],
    )


def next_model(state: FixState, model: str) -> dict[str, Any]:
    """The update that starts over with another model: its rounds, health check and
    remarks begin anew; what was tried, the base and the window stay."""
    fresh = initial_state(model, [])
    keys = ("model", "round", "connected", "feedback", "told", "remarks", "asked", "failed")
    return {key: fresh[key] for key in keys}  # type: ignore[literal-required]
