"""Cancellation and wall-clock budget of one fix, shared by the engine and validators.

A ``CancelToken`` is a ``threading.Event`` plus a deadline: both are safe to read from any
thread without the GIL. Long work polls ``raise_if_stopped`` between steps and running
subprocesses are killed when ``stopped`` turns true.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from agentfix.errors import Cancelled

T = TypeVar("T")


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


def unless_stopped(work: Callable[[], T], token: CancelToken) -> T:
    """``work()``'s result, or ``Cancelled`` as soon as the token stops (checked every
    0.1 s). The work runs in a daemon thread that is left to finish on its own: a blocking
    call (a health check to a server that went quiet) must not hold the fix, the CLI's
    exit or an editor's next fix."""
    box: list[tuple[bool, object]] = []
    done = threading.Event()

    def run() -> None:
        try:
            box.append((True, work()))
        except BaseException as exc:  # handed to the caller's thread
            box.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name="agentfix-unless-stopped", daemon=True).start()
    while not done.wait(0.1):
        token.raise_if_stopped()
    ok, value = box[0]
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
