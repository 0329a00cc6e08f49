import pytest

from median import median, median_absolute_deviation


def test_odd() -> None:
    assert median([7, 1, 3]) == 3


def test_even() -> None:
    assert median([4, 1, 3, 2]) == 2.5


def test_empty() -> None:
    with pytest.raises(ValueError):
        median([])


def test_mad() -> None:
    assert median_absolute_deviation([1, 2, 3, 4, 100]) == 1
