import pytest

from rpn import calculate, evaluate_rpn, to_rpn


def test_evaluate() -> None:
    assert evaluate_rpn("5 1 2 + 4 * + 3 -".split()) == 14
    assert evaluate_rpn("8 2 /".split()) == 4


def test_to_rpn() -> None:
    assert to_rpn("( 1 + 2 ) * 4".split()) == ["1", "2", "+", "4", "*"]
    assert to_rpn("2 ^ 3 ^ 2".split()) == ["2", "3", "2", "^", "^"]


def test_calculate() -> None:
    assert calculate("10 - 4 - 3") == 3
    assert calculate("2 ^ 3 ^ 2") == 512


def test_errors() -> None:
    with pytest.raises(ValueError):
        evaluate_rpn(["1", "+"])
    with pytest.raises(ValueError):
        to_rpn("( 1 + 2".split())
