import pytest

from ini import ParseError, get_bool, get_int, parse_ini

TEXT = """
name = demo

[server]
Host = example.org
port=8080
; a comment
url = https://example.org/search?q=a&lang=en
debug = Yes

# another comment
[empty]
"""


def test_sections() -> None:
    config = parse_ini(TEXT)
    assert config["DEFAULT"] == {"name": "demo"}
    assert config["server"]["host"] == "example.org"
    assert config["empty"] == {}


def test_value_with_equals_sign() -> None:
    config = parse_ini(TEXT)
    assert config["server"]["url"] == "https://example.org/search?q=a&lang=en"


def test_typed_getters() -> None:
    config = parse_ini(TEXT)
    assert get_int(config, "server", "port") == 8080
    assert get_bool(config, "server", "debug") is True


def test_bad_line() -> None:
    with pytest.raises(ParseError):
        parse_ini("[a]\njust words\n")
