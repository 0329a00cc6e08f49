"""Greedy interval scheduling for a single room, and room counting.

Meetings are (start, end) pairs with start < end; a meeting ending at 10 and
one starting at 10 do not overlap.
"""

from __future__ import annotations

Meeting = tuple[int, int]


def rooms_needed(meetings: list[Meeting]) -> int:
    """Fewest rooms to host every meeting (largest number running at once)."""
    starts = [(start, 1) for start, _ in meetings]
    ends = [(end, -1) for _, end in meetings]
    events = sorted(starts + ends)
    running = peak = 0
    for _, change in events:  # at equal times, ends (-1) sort before starts (+1)
        running += change
        peak = max(peak, running)
    return peak


def free_slots(meetings: list[Meeting], day: Meeting) -> list[Meeting]:
    """Gaps inside ``day`` not covered by any meeting, in order."""
    gaps = []
    cursor = day[0]
    for start, end in sorted(meetings):
        if start > cursor:
            gaps.append((cursor, min(start, day[1])))
        cursor = max(cursor, end)
    if cursor < day[1]:
        gaps.append((cursor, day[1]))
    return [gap for gap in gaps if gap[0] < gap[1]]


def max_meetings(meetings: list[Meeting]) -> list[Meeting]:
    """Largest set of non-overlapping meetings one room can host.

    The greedy choice is the meeting that ends first: it leaves the most time
    for the rest. Ties on the end are broken by the start.
    """
    chosen: list[Meeting] = []
    free_from = None
    for start, end in sorted(meetings, key=lambda m: (m[0], m[1])):
        if free_from is None or start >= free_from:
            chosen.append((start, end))
            free_from = end
    return chosen


# Proof sketch for max_meetings: any optimal schedule can swap its first meeting
# for the one that ends earliest without creating an overlap, and the same
# argument repeats on the remaining time.
