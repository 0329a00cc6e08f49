"""Cancellation and wall-clock budget of one fix, shared by the engine and validators.

A ``CancelToken`` is a ``threading.Event`` plus a deadline: both are safe to read from any
thread without the GIL. Long work polls ``raise_if_stopped`` between steps and running
subprocesses are killed when ``stopped`` turns true.
"""

from __future__ import annotations

import threading
import time

from agentfix.errors import Cancelled


class CancelToken:
    """Stop signal for a fix: set by the user (cancel) or reached by the clock (budget)."""

    def __init__(self, budget_s: float | None = None) -> None:
        self._event = threading.Event()
        self._reason = ""
        self._lock = threading.Lock()
        self.started = time.monotonic()
        self.deadline = None if budget_s is None else self.started + budget_s

    def cancel(self, reason: str = "cancelled by the user") -> None:
        with self._lock:
            if not self._event.is_set():
                self._reason = reason
                self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def remaining(self) -> float | None:
        """Seconds left in the budget (None when unbounded)."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    @property
    def stopped(self) -> bool:
        """True once cancelled or out of time."""
        rem = self.remaining()
        return self._event.is_set() or (rem is not None and rem <= 0)

    @property
    def reason(self) -> str:
        with self._lock:
            if self._reason:
                return self._reason
        if self.deadline is not None and time.monotonic() >= self.deadline:
            return "the wall-clock budget ran out"
        return ""

    def raise_if_stopped(self) -> None:
        if self.stopped:
            raise Cancelled(self.reason)

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if cancelled meanwhile."""
        return self._event.wait(seconds)
