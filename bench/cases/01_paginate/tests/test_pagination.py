import pytest

from pagination import page_count, paginate


def test_first_page() -> None:
    assert paginate(list(range(25)), 1) == list(range(10))


def test_last_partial_page() -> None:
    assert paginate(list(range(25)), 3) == [20, 21, 22, 23, 24]


def test_past_the_end_is_empty() -> None:
    assert paginate(list(range(25)), 4) == []


def test_page_zero_rejected() -> None:
    with pytest.raises(ValueError):
        paginate([1, 2, 3], 0)


def test_page_count() -> None:
    assert page_count(25, 10) == 3
    assert page_count(0, 10) == 1
