import pytest

from calc import evaluate, tokenize


def test_tokenize() -> None:
    assert tokenize("12 + 3.5*(4-1)") == [
        "12", "+", "3.5", "*", "(", "4", "-", "1", ")"
    ]


def test_precedence_and_parentheses() -> None:
    assert evaluate("2 + 3 * 4") == 14
    assert evaluate("(2 + 3) * 4") == 20
    assert evaluate("10 - 4 - 3") == 3


def test_true_division() -> None:
    assert evaluate("7 / 2") == 3.5
    assert evaluate("2 * (3 + 4) - 10 / 4") == 11.5


def test_unary_minus() -> None:
    assert evaluate("-3 * -2") == 6


def test_errors() -> None:
    with pytest.raises(SyntaxError):
        evaluate("2 +")
    with pytest.raises(SyntaxError):
        evaluate("2 $ 3")
