"""Integer partitions: ways of writing n as a sum of positive integers.

Order does not matter, so 4 has five partitions: 4, 3+1, 2+2, 2+1+1, 1+1+1+1.

The recursion splits on the largest part allowed: either a partition uses the
part ``largest`` at least once (and what is left is a partition of
n - largest with parts up to ``largest``), or it uses no part that big.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache


@lru_cache(maxsize=None)
def count_partitions(n: int, largest: int | None = None) -> int:
    """Number of partitions of ``n`` into parts no bigger than ``largest``."""
    if largest is None:
        largest = n
    if n == 1:
        return 1
    if n < 0 or largest == 0:
        return 0
    return count_partitions(n - largest, largest) + count_partitions(n, largest - 1)


def partitions(n: int, largest: int | None = None) -> Iterator[tuple[int, ...]]:
    """Every partition of ``n``, parts in decreasing order, largest first."""
    if largest is None:
        largest = n
    if n == 0:
        yield ()
        return
    for part in range(min(n, largest), 0, -1):
        for rest in partitions(n - part, part):
            yield (part, *rest)


def distinct_part_count(n: int) -> int:
    """Partitions of ``n`` whose parts are all different."""
    return sum(1 for p in partitions(n) if len(set(p)) == len(p))


# The first values of p(n), from n = 0: 1, 1, 2, 3, 5, 7, 11, 15, 22, 30, 42.
# p(n) grows like exp(pi * sqrt(2n / 3)) / (4n * sqrt(3)) (Hardy-Ramanujan).
