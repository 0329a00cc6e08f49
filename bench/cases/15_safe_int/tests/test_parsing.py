from parsing import parse_pairs, safe_int


def test_valid() -> None:
    assert safe_int("12") == 12


def test_invalid_string_gives_default() -> None:
    assert safe_int("twelve", -1) == -1


def test_none_gives_default() -> None:
    assert safe_int(None) == 0


def test_pairs() -> None:
    assert parse_pairs("a=1, b=x, junk") == {"a": 1, "b": 0}
