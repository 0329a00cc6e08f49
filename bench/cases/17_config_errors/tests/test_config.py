import pytest

from config import ConfigError, get_bool, parse_config


def test_parse() -> None:
    text = "# server\nhost = example.org\n\nport=8080\n"
    assert parse_config(text) == {"host": "example.org", "port": "8080"}


def test_bad_line_is_reported() -> None:
    with pytest.raises(ConfigError, match="line 2"):
        parse_config("host = a\njust some words\n")


def test_get_bool() -> None:
    assert get_bool({"debug": "On"}, "debug")
    assert not get_bool({}, "debug")
