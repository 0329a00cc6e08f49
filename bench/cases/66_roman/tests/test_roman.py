import pytest

from roman import from_roman, is_roman, to_roman


def test_to_roman() -> None:
    assert to_roman(1994) == "MCMXCIV"
    assert to_roman(3) == "III"


def test_from_roman() -> None:
    assert from_roman("MCMXCIV") == 1994
    assert from_roman("xlii") == 42
    assert from_roman("III") == 3


def test_round_trip() -> None:
    assert all(from_roman(to_roman(n)) == n for n in range(1, 400))


def test_rejects() -> None:
    assert not is_roman("IIII")
    with pytest.raises(ValueError):
        from_roman("VX")
