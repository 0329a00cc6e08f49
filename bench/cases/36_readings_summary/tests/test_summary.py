import pytest

from summary import parse_readings, summarize


def test_list() -> None:
    expected = {"count": 3, "min": 1.0, "max": 3.0, "mean": 2.0}
    assert summarize([1.0, 3.0, 2.0]) == expected


def test_generator() -> None:
    lines = ["1,4.0", "", "2,6.0"]
    assert summarize(parse_readings(lines)) == {
        "count": 2, "min": 4.0, "max": 6.0, "mean": 5.0,
    }


def test_empty() -> None:
    with pytest.raises(ValueError):
        summarize(iter([]))
