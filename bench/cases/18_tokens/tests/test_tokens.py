import re

from tokens import make_token, read_token


def test_token_is_url_safe_text() -> None:
    token = make_token(42, "s3cret")
    assert re.fullmatch(r"42\.[A-Za-z0-9_-]{12}", token), token


def test_round_trip() -> None:
    assert read_token(make_token(7, "k"), "k") == 7


def test_wrong_secret() -> None:
    assert read_token(make_token(7, "k"), "other") is None
