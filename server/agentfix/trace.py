"""A thread-safe record of a whole fix run (prompts, answers, candidates, verdicts, timings).

Written as JSON with ``--trace FILE`` so an agent's behaviour can be debugged afterwards.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class Trace:
    """Append-only event log; safe to append from validator and generator threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[dict[str, Any]] = []
        self._t0 = time.monotonic()

    def add(self, kind: str, **data: Any) -> None:
        event = {"t": round(time.monotonic() - self._t0, 4), "kind": kind, **data}
        with self._lock:
            self._events.append(event)

    def extend(self, events: Iterable[dict[str, Any]]) -> None:
        """Events recorded elsewhere (a run's state log), with their own times."""
        with self._lock:
            self._events.extend(events)

    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._events)

    def write(self, path: Path, summary: dict[str, Any] | None = None) -> None:
        payload = {"summary": summary or {}, "events": self.events()}
        path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
