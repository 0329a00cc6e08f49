import pytest

from settings import build_settings, describe


def test_override() -> None:
    assert build_settings({"timeout": 5})["timeout"] == 5


def test_options_reusable() -> None:
    options = {"retries": 0, "verbose": True}
    first = build_settings(options)
    assert options == {"retries": 0, "verbose": True}
    assert build_settings(options) == first


def test_unknown() -> None:
    with pytest.raises(KeyError):
        build_settings({"colour": "red"})


def test_describe() -> None:
    assert describe(build_settings({})) == "timeout=30 retries=3 verbose=False"
