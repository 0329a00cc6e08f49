from brackets import first_error, is_balanced, max_depth


def test_balanced() -> None:
    assert is_balanced("f(a[1], {b: (2)})")
    assert is_balanced("")


def test_mismatch() -> None:
    assert first_error("(]") == 1
    assert first_error("([)]") == 2


def test_stray_closer() -> None:
    assert first_error("a)") == 1
    assert not is_balanced("}{")


def test_unclosed() -> None:
    assert first_error("x = (1, [2") == 4


def test_depth() -> None:
    assert max_depth("{[()()]}") == 3
