"""Subsets of a small collection, enumerated with bit masks.

Bit ``i`` of a mask says whether item ``i`` is in the subset, so the masks
0 .. 2**n - 1 enumerate every subset exactly once. Fine up to ~20 items.
"""

from __future__ import annotations

from collections.abc import Sequence


def subset_of_mask(items: Sequence, mask: int) -> list:
    """The items whose bit is set in ``mask``, in input order."""
    return [item for i, item in enumerate(items) if mask & i]


def all_subsets(items: Sequence) -> list[list]:
    """Every subset, ordered by size, then by mask (so in input order)."""
    masks = sorted(range(1 << len(items)), key=lambda m: (bin(m).count("1"), m))
    return [subset_of_mask(items, mask) for mask in masks]


def subset_sums(numbers: Sequence[int]) -> set[int]:
    """Every total reachable by adding up some of ``numbers`` (0 included)."""
    return {sum(subset_of_mask(numbers, mask)) for mask in range(1 << len(numbers))}


def best_split(numbers: Sequence[int]) -> int:
    """Smallest difference between the sums of two groups splitting ``numbers``."""
    total = sum(numbers)
    return min(abs(total - 2 * part) for part in subset_sums(numbers))


# Why masks instead of recursion: the mask is the subset's identity, which makes
# it easy to store, compare or hand to another process. For many items use a
# recursive generator instead; 2**n grows fast.
