"""Making change with coins of given denominations (unlimited supply of each).

Two classic dynamic programs over the amounts 0..amount:

* ``fewest_coins``: the smallest number of coins that add up to the amount;
* ``count_ways``: in how many different ways (ignoring order) the amount can
  be paid.

Greedy change (always the largest coin) is not always optimal: with coins
1, 3 and 4, greedy pays 6 as 4 + 1 + 1 while 3 + 3 uses one coin fewer.
"""

from __future__ import annotations

import math


def fewest_coins(amount: int, coins: list[int]) -> int | None:
    """Fewest coins summing to ``amount``, or None if it cannot be paid."""
    best = [0] + [math.inf] * amount
    for value in range(1, amount + 1):
        for coin in coins:
            if coin <= value and best[value - coin] + 1 < best[value]:
                best[value] = best[value - coin] + 1
    return None if best[amount] == math.inf else int(best[amount])


def count_ways(amount: int, coins: list[int]) -> int:
    """Number of multisets of coins summing to ``amount`` (order ignored).

    Looping over coins on the outside counts 1 + 2 and 2 + 1 once.
    """
    ways = [0] * (amount + 1)
    for coin in coins:
        for value in range(coin, amount + 1):
            ways[value] += ways[value - coin]
    return ways[amount]


def change(amount: int, coins: list[int]) -> list[int]:
    """One way to pay ``amount`` with the fewest coins, largest coins first."""
    if fewest_coins(amount, coins) is None:
        raise ValueError(f"{amount} cannot be paid with {coins}")
    paid: list[int] = []
    while amount:
        for coin in sorted(coins, reverse=True):
            rest = fewest_coins(amount - coin, coins) if coin <= amount else None
            if rest is not None and rest + 1 == fewest_coins(amount, coins):
                paid.append(coin)
                amount -= coin
                break
    return paid


# ``change`` recomputes the table for every coin it pays; that is fine for
# till-sized amounts. Reuse the table of ``fewest_coins`` for large ones.
