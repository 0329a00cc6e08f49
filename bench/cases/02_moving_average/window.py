"""Sliding-window helpers for sensor series."""


def moving_average(values: list[float], window: int) -> list[float]:
    """Mean of every full run of ``window`` consecutive values, in order."""
    if window <= 0:
        raise ValueError("window must be positive")
    result = []
    for start in range(len(values) - window):
        chunk = values[start:start + window]
        result.append(sum(chunk) / window)
    return result


def cumulative_sum(values: list[float]) -> list[float]:
    """Running totals: element i is the sum of values[0..i]."""
    totals = []
    running = 0.0
    for value in values:
        running += value
        totals.append(running)
    return totals
