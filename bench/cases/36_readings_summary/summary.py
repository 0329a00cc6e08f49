"""Summaries of sensor readings streamed from a device."""

from collections.abc import Iterable


def summarize(readings: Iterable[float]) -> dict[str, float]:
    """Count, min, max and mean of ``readings`` (any iterable, even a generator)."""

    count = sum(1 for _ in readings)
    if count == 0:
        raise ValueError("no readings")
    return {
        "count": count,
        "min": min(readings),
        "max": max(readings),
        "mean": sum(readings) / count,
    }


def parse_readings(lines: Iterable[str]) -> Iterable[float]:
    """Floats from "timestamp,value" lines, lazily; blank lines are skipped."""
    for line in lines:
        if line.strip():
            yield float(line.split(",")[1])
