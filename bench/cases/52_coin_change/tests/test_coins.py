import pytest

from coins import change, count_ways, fewest_coins


def test_fewest() -> None:
    assert fewest_coins(6, [1, 3, 4]) == 2
    assert fewest_coins(0, [2]) == 0
    assert fewest_coins(3, [2]) is None


def test_count_ways() -> None:
    assert count_ways(5, [1, 2, 5]) == 4
    assert count_ways(0, [1, 2]) == 1
    assert count_ways(3, [2]) == 0


def test_change() -> None:
    assert change(6, [1, 3, 4]) == [3, 3]
    with pytest.raises(ValueError):
        change(3, [2])
