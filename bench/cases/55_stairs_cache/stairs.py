"""Counting ways to climb a staircase, memoised by hand.

``count_ways(n, steps)`` is the number of ordered sequences of step sizes from
``steps`` that add up to exactly ``n`` stairs: with steps (1, 2) those are the
Fibonacci numbers. The cache is a module-level dict so repeated questions (a
web handler asking for many staircases) stay cheap.
"""

from __future__ import annotations

_cache: dict = {}


def count_ways(n: int, steps: tuple[int, ...] = (1, 2)) -> int:
    """Ordered ways to climb ``n`` stairs taking any of ``steps`` at a time."""
    if n < 0:
        return 0
    if n == 0:
        return 1
    key = n
    if key in _cache:
        return _cache[key]
    total = sum(count_ways(n - step, steps) for step in steps)
    _cache[key] = total
    return total


def cheapest_climb(costs: list[int]) -> int:
    """Least total cost to get past the top when stair i costs costs[i].

    You start below stair 0 (or 1) and may climb one or two stairs at a time;
    this one is bottom-up and needs no cache.
    """
    below, current = 0, 0
    for i in range(2, len(costs) + 1):
        below, current = current, min(current + costs[i - 1], below + costs[i - 2])
    return current


def clear_cache() -> None:
    _cache.clear()


# The cache grows with every distinct (n, steps) pair asked for; call
# ``clear_cache`` in long-running processes, or swap the dict for
# functools.lru_cache with a maxsize.
