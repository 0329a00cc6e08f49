"""Small calendar helpers (proleptic Gregorian calendar)."""

THIRTY_DAY_MONTHS = (4, 6, 9, 11)


def is_leap_year(year: int) -> bool:
    """Divisible by 4, except centuries, which must be divisible by 400."""
    return year % 4 == 0 and (year % 100 != 0 and year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` (1-12) of ``year``."""
    if not 1 <= month <= 12:
        raise ValueError(f"no such month: {month}")
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in THIRTY_DAY_MONTHS else 31


def day_of_year(year: int, month: int, day: int) -> int:
    """1 for January 1st, 365 or 366 for December 31st."""
    return sum(days_in_month(year, m) for m in range(1, month)) + day
