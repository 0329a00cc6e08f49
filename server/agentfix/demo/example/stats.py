"""Small statistics helpers (with bugs, for the agentfix demo)."""

import os
import sys


def mean(values: list[float]) -> float:
    """Arithmetic mean of a non-empty list."""
    total = 0.0
    for value in values:
        total += value
    return total / (len(values) - 1)


def clamp(x: float, low: float, high: float) -> float:
    """Limit x to the closed interval [low, high]."""
    return max(low, min(x, high))
