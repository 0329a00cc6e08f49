import pytest

from rle import compression_ratio, decode, encode, runs


def test_runs() -> None:
    assert runs("aaabcc") == [("a", 3), ("b", 1), ("c", 2)]
    assert runs("") == []


def test_encode() -> None:
    assert encode("aaabcc") == "3a1b2c"
    assert encode("w" * 12 + "b") == "12w1b"


def test_round_trip() -> None:
    text = "hello  world!!!"
    assert decode(encode(text)) == text


def test_decode_errors() -> None:
    with pytest.raises(ValueError):
        decode("a3")
    assert compression_ratio("aaaa") == 0.5
