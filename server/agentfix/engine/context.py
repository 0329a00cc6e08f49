"""The services of one fix, handed to every node as LangGraph's run context (``Runtime``).

Immutable: what a node learns goes into the state it returns, never into the context, so
a run's record (the checkpoints) holds everything that happened. The validator and the
provider here are as they were at the start; ``validator_for`` and ``provider_for`` give
them as the state has since configured them (the tests' baselines, the model, the window).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agentfix.cancel import CancelToken
from agentfix.engine.request import FixRequest
from agentfix.engine.state import Event, FixState, event
from agentfix.progress import Progress, ProgressSink
from agentfix.providers.base import Provider, Windowed
from agentfix.settings import Settings
from agentfix.validators.pipeline import Validator


@dataclass(frozen=True)
class Context:
    """Fixed inputs and services of one fix."""

    request: FixRequest
    path: Path  # the file as opened: symlinks in its folders resolved, its own link kept
    root: Path  # the project root, discovered once
    rel_path: str  # the file, relative to ``root``
    settings: Settings
    provider: Provider
    validator: Validator
    pool: ThreadPoolExecutor  # model requests
    validation_pool: ThreadPoolExecutor
    token: CancelToken
    progress: ProgressSink
    interpreter_reason: str = ""  # why this interpreter runs the tests (said to the user)
    started: float = 0.0  # time.monotonic() at the start: events count from it

    def say(self, message: str, state: FixState | None = None) -> None:
        """Progress for the user (not recorded: the events are)."""
        rounds = self.settings.max_rounds
        done = state["round"] if state else 0
        self.progress(Progress(message, done, rounds, int(100 * done / max(rounds, 1))))

    def event(self, kind: str, **data: Any) -> Event:
        return event(self.started, kind, **data)


def validator_for(ctx: Context, state: FixState) -> Validator:
    """The validator with the original's test baselines, and without tests that collect
    nothing (compile and ruff alone judge then)."""
    tests = ctx.validator.tests if state["tests_judge"] else None
    return replace(ctx.validator, baselines=state["baselines"], tests=tests)


def provider_for(ctx: Context, state: FixState) -> Provider:
    """The provider for the state's model, asking for the window chosen so far."""
    provider = ctx.provider.with_model(state["model"])
    if state["num_ctx"] is not None and isinstance(provider, Windowed):
        return provider.with_window(state["num_ctx"])
    return provider
