"""Order statistics with quickselect: the k-th smallest without a full sort.

The list is partitioned around a pivot (Lomuto scheme, last element as pivot)
and the search continues on the one side that holds position k. Expected
O(n) time; the input list is not modified (the work is done on a copy).
"""

from __future__ import annotations


def partition(items: list, lo: int, hi: int) -> int:
    """Partition items[lo:hi + 1] around items[hi]; return the pivot's index.

    Afterwards everything left of the index is < the pivot and everything
    right of it is >= the pivot.
    """
    pivot = items[hi]
    store = lo
    for i in range(lo, hi):
        if items[i] < pivot:
            items[i], items[store] = items[store], items[i]
            store += 1
    items[store], items[hi] = items[hi], items[store]
    return store


def _select(items: list, lo: int, hi: int, k: int):
    """The element that belongs at index k of items[lo:hi + 1] when sorted."""
    if lo == hi:
        return items[lo]
    p = partition(items, lo, hi)
    if k == p:
        return items[p]
    if k < p:
        _select(items, lo, p - 1, k)
    return _select(items, p + 1, hi, k)


def kth_smallest(values: list, k: int):
    """The k-th smallest value, k starting at 1."""
    if not 1 <= k <= len(values):
        raise IndexError(f"k={k} out of range for {len(values)} values")
    return _select(list(values), 0, len(values) - 1, k - 1)


def median_low(values: list):
    """The lower median: the middle value, or the lower of the two middles."""
    return kth_smallest(values, (len(values) + 1) // 2)


def top_k(values: list, k: int) -> list:
    """The k largest values, largest first."""
    if k <= 0:
        return []
    threshold = kth_smallest(values, max(1, len(values) - k + 1))
    bigger = sorted((v for v in values if v > threshold), reverse=True)
    return (bigger + [threshold] * k)[:k]


# The last element as pivot is the textbook choice and degrades to O(n^2) on
# sorted input; pick a random pivot (swap it to the end first) when inputs may
# be adversarial.
