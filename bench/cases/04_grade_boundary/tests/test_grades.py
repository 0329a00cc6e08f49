import pytest

from grades import grade_report, letter_grade


def test_inside_bands() -> None:
    assert letter_grade(95) == "A"
    assert letter_grade(85.5) == "B"
    assert letter_grade(10) == "F"


def test_exact_boundaries() -> None:
    assert letter_grade(90) == "A"
    assert letter_grade(60) == "D"


def test_out_of_range() -> None:
    with pytest.raises(ValueError):
        letter_grade(101)


def test_report() -> None:
    assert grade_report({"ana": 80, "bo": 59.5}) == {"ana": "B", "bo": "F"}
