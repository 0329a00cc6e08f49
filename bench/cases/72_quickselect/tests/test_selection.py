import pytest

from selection import kth_smallest, median_low, top_k

VALUES = [7, 2, 9, 4, 4, 1, 8, 3]


def test_every_rank() -> None:
    ordered = sorted(VALUES)
    for k in range(1, len(VALUES) + 1):
        assert kth_smallest(VALUES, k) == ordered[k - 1]


def test_input_untouched() -> None:
    values = list(VALUES)
    kth_smallest(values, 3)
    assert values == VALUES


def test_median_and_top() -> None:
    assert median_low([5, 1, 3]) == 3
    assert median_low(VALUES) == 4
    assert top_k(VALUES, 3) == [9, 8, 7]


def test_out_of_range() -> None:
    with pytest.raises(IndexError):
        kth_smallest([1, 2], 3)
