from calendar_utils import day_of_year, days_in_month, is_leap_year


def test_regular_leap_year() -> None:
    assert is_leap_year(2024)


def test_centuries() -> None:
    assert not is_leap_year(1900)
    assert is_leap_year(2000)


def test_common_year() -> None:
    assert not is_leap_year(2023)


def test_february_and_day_of_year() -> None:
    assert days_in_month(2024, 2) == 29
    assert day_of_year(2024, 3, 1) == 61
    assert day_of_year(2023, 12, 31) == 365
