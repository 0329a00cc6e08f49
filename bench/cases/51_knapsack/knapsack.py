"""0/1 knapsack: pick items to carry the most value within a weight limit.

Each item is taken whole or not at all (no fractions, no repeats). Weights and
the capacity are whole numbers.
"""

from __future__ import annotations

from typing import NamedTuple


class Item(NamedTuple):
    name: str
    weight: int
    value: int


def best_table(items: list[Item], capacity: int) -> list[list[int]]:
    """table[i][c]: best value using the first i items with capacity c."""
    table = [[0] * (capacity + 1) for _ in range(len(items) + 1)]
    for i, item in enumerate(items, start=1):
        for cap in range(capacity + 1):
            skip = table[i - 1][cap]
            if item.weight < cap:
                take = table[i - 1][cap - item.weight] + item.value
                table[i][cap] = max(skip, take)
            else:
                table[i][cap] = skip
    return table


def best_value(items: list[Item], capacity: int) -> int:
    return best_table(items, capacity)[len(items)][capacity]


def best_items(items: list[Item], capacity: int) -> list[str]:
    """Names of one best selection, in the order the items were given."""
    table = best_table(items, capacity)
    chosen = []
    cap = capacity
    for i in range(len(items), 0, -1):
        if table[i][cap] != table[i - 1][cap]:  # item i-1 was taken
            chosen.append(items[i - 1].name)
            cap -= items[i - 1].weight
    return chosen[::-1]


# Complexity: O(n * capacity) time and memory, pseudo-polynomial: fine for a
# backpack (capacity in hundreds), not for capacities in the billions.
