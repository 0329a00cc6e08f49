from bounds import (
    contains,
    count_between,
    count_equal,
    equal_range,
    insert_sorted,
    lower_bound,
    upper_bound,
)

DATA = [1, 2, 2, 2, 5, 7, 7, 9]


def test_bounds() -> None:
    assert lower_bound(DATA, 2) == 1
    assert upper_bound(DATA, 2) == 4
    assert upper_bound(DATA, 9) == 8
    assert lower_bound(DATA, 3) == upper_bound(DATA, 3) == 4


def test_counts() -> None:
    assert count_equal(DATA, 7) == 2
    assert count_equal(DATA, 4) == 0
    assert count_between(DATA, 2, 7) == 6
    assert equal_range(DATA, 5) == (4, 5)


def test_contains() -> None:
    assert contains(DATA, 9)
    assert not contains(DATA, 0)


def test_insert_after_equals() -> None:
    items = [(1, "a"), (2, "b")]
    insert_sorted(items, (1, "a"))
    assert items == [(1, "a"), (1, "a"), (2, "b")]
    numbers = [1, 3, 3, 4]
    insert_sorted(numbers, 3)
    assert numbers == [1, 3, 3, 3, 4]
