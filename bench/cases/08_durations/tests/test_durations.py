import pytest

from durations import format_duration, parse_duration


def test_parse() -> None:
    assert parse_duration("1h30m") == 5400
    assert parse_duration("45s") == 45


def test_parse_rejects_missing_unit() -> None:
    with pytest.raises(ValueError):
        parse_duration("12")


def test_format_round_trip() -> None:
    assert format_duration(90061) == "1d1h1m1s"
    assert parse_duration(format_duration(3725)) == 3725
