"""Progress events of a fix: the CLI prints them on stderr, the server sends $/progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """One step of a fix, phrased for a human; ``percent`` is a rough share of rounds done."""

    message: str
    round: int = 0
    max_rounds: int = 0
    percent: int | None = None


ProgressSink = Callable[[Progress], None]


def ignore_progress(_: Progress) -> None:
    """Default sink when nobody listens."""
