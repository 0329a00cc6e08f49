from tagging import add_tag, normalize_tags


def test_fresh_list_each_call() -> None:
    assert add_tag("a") == ["a"]
    assert add_tag("b") == ["b"]


def test_existing_list() -> None:
    assert add_tag("x", ["x", "y"]) == ["x", "y"]


def test_normalize() -> None:
    assert normalize_tags("Python, web ,python,") == ["python", "web"]
