"""The typed state that flows through the fix graph (data only; services live in Context)."""

from __future__ import annotations

from typing import TypedDict

from agentfix.engine.candidate import Candidate


class FixState(TypedDict):
    round: int  # model rounds done with the current model
    total_rounds: int  # model rounds done in all
    model: str
    connected: bool  # the current model passed its health check
    fallback_used: bool
    feedback: str | None
    notes: list[str]  # remarks about the last round's answers (repeats, no code block)
    heard: list[str]  # remarks gathered in this round, shown in the next one
    asked: int  # answers asked for in the current round (rounds may go in batches)
    failed: int  # of those, requests that failed: all failed means the provider is down
    pending: list[Candidate]  # generated, not yet validated
    tried: list[Candidate]
    status: str  # "" while running, else the final status
    next: str  # where decide routes: "connect", "generate" (next batch), "feedback" or "end"
    message: str
    provider_error: str | None


def initial_state(model: str) -> FixState:
    return FixState(
        round=0,
        total_rounds=0,
        model=model,
        connected=False,
        fallback_used=False,
        feedback=None,
        notes=[],
        heard=[],
        asked=0,
        failed=0,
        pending=[],
        tried=[],
        status="",
        next="",
        message="",
        provider_error=None,
    )
