"""Robust statistics for latency samples (milliseconds)."""


def median(values: list[float]) -> float:
    """Middle value; the mean of the two middle values for even counts."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of an empty list")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) // 2


def median_absolute_deviation(values: list[float]) -> float:
    """Median of the absolute deviations from the median."""
    center = median(values)
    return median([abs(value - center) for value in values])
