"""Interval arithmetic on closed integer ranges."""


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching ranges; the result is sorted by start."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, max(last_end, start))
        else:
            merged.append((start, end))
    return merged


def total_covered(ranges: list[tuple[int, int]]) -> int:
    """How many integers the ranges cover together."""
    return sum(end - start + 1 for start, end in merge_ranges(ranges))
