"""Maximum-sum contiguous subarray (Kadane's algorithm) and two variants.

Example: in ``[-2, 1, -3, 4, -1, 2, 1, -5, 4]`` the best slice is
``[4, -1, 2, 1]`` with sum 6.
"""

from __future__ import annotations


def max_subarray(values: list[int]) -> tuple[int, int, int]:
    """(best sum, start, end) of a non-empty slice values[start:end].

    The slice is never empty, so for all-negative input the answer is the
    largest single value.
    """
    if not values:
        raise ValueError("empty input")
    best_sum, best_start, best_end = 0, 0, 0
    run_sum, run_start = 0, 0
    for i, value in enumerate(values):
        if run_sum <= 0:
            run_sum, run_start = value, i
        else:
            run_sum += value
        if run_sum > best_sum:
            best_sum, best_start, best_end = run_sum, run_start, i + 1
    return best_sum, best_start, best_end


def max_subarray_sum(values: list[int]) -> int:
    return max_subarray(values)[0]


def max_circular_sum(values: list[int]) -> int:
    """Best slice when the list wraps around (the end joins the start)."""
    straight = max_subarray_sum(values)
    total = sum(values)
    worst = -max_subarray_sum([-v for v in values])
    if worst == total:  # every value negative: wrapping would leave nothing
        return straight
    return max(straight, total - worst)


# Kadane's idea: a best slice ending at i either extends the best slice ending
# at i - 1 or starts afresh at i, whichever is larger; one pass, O(1) memory.
