"""What every node of the fix graph shares: the request, settings, services and the
running record of timings and notes. It is never part of the graph state (which stays data).
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.engine.request import FixRequest
from agentfix.engine.state import FixState
from agentfix.progress import Progress, ProgressSink
from agentfix.project import opened
from agentfix.providers.base import Provider
from agentfix.settings import Settings
from agentfix.trace import Trace
from agentfix.validators.pipeline import Validator
from agentfix.validators.verdict import Verdict


@dataclass
class Context:
    """Services and fixed inputs of one fix; never part of the graph state."""

    request: FixRequest
    rel_path: str
    settings: Settings
    provider: Provider
    validator: Validator
    pool: ThreadPoolExecutor
    validation_pool: ThreadPoolExecutor
    token: CancelToken
    progress: ProgressSink
    trace: Trace
    interpreter_reason: str = ""  # why this interpreter runs the tests (said to the user)
    original_verdict: Verdict | None = None
    base: str = ""  # what the model sees and answers are merged into: ruff-fixed when safe
    notes: list[str] = field(default_factory=list)
    problems: str = ""
    base_lint: int = 0  # ruff diagnostics left in ``base``: then formatting-only edits count
    suspects: tuple[str, ...] = ()  # functions the failing tests point at, most used first
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    timings: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def root(self) -> Path:
        """The project root: ``rel_path`` is relative to it."""
        return opened(self.request.path).parents[len(Path(self.rel_path).parts) - 1]

    def add_time(self, key: str, seconds: float) -> None:
        with self._lock:
            self.timings[key] = self.timings.get(key, 0.0) + seconds

    def say(self, message: str, state: FixState | None = None) -> None:
        rounds = self.settings.max_rounds
        done = state["round"] if state else 0
        self.progress(Progress(message, done, rounds, int(100 * done / max(rounds, 1))))
        self.trace.add("progress", message=message)
