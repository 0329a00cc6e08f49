"""Binary-search helpers on sorted lists (what bisect does, spelled out).

All functions take a list sorted in ascending order and run in O(log n),
except ``insert_sorted`` which also has to shift elements.

``lower_bound`` and ``upper_bound`` bracket the run of elements equal to the
target: ``items[lower:upper]`` is exactly that run (empty if it is absent).
"""

from __future__ import annotations


def lower_bound(items: list, target) -> int:
    """First index whose element is >= target (len(items) if none)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def upper_bound(items: list, target) -> int:
    """First index whose element is > target (len(items) if none)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


def count_equal(items: list, target) -> int:
    """How many elements equal ``target``."""
    return upper_bound(items, target) - lower_bound(items, target)


def equal_range(items: list, target) -> tuple[int, int]:
    return lower_bound(items, target), upper_bound(items, target)


def contains(items: list, target) -> bool:
    index = lower_bound(items, target)
    return index < len(items) and items[index] == target


def count_between(items: list, low, high) -> int:
    """How many elements lie in the closed range [low, high]."""
    return max(0, upper_bound(items, high) - lower_bound(items, low))


def insert_sorted(items: list, value) -> None:
    """Insert ``value`` after any equal elements, keeping the list sorted."""
    items.insert(upper_bound(items, value), value)


# The loop invariant of both searches: everything before lo fails the test and
# everything from hi on passes it, so when lo == hi it is the first index that
# passes. (lo + hi) // 2 cannot overflow in Python, unlike in C or Java.
