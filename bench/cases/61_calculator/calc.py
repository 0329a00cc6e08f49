"""A small calculator: tokenizer plus recursive-descent parser.

Grammar (usual precedence, left-associative binary operators)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := NUMBER | "-" factor | "(" expr ")"

Division is true division, as in Python: ``7 / 2`` is ``3.5``.

    >>> evaluate("2 * (3 + 4) - 10 / 4")
    11.5
"""

from __future__ import annotations

import re

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|(.))")


def tokenize(text: str) -> list[str]:
    """Numbers and single-character operators; whitespace is dropped."""
    tokens = []
    for number, other in TOKEN.findall(text):
        if number:
            tokens.append(number)
        elif other.strip():
            if other not in "+-*/()":
                raise SyntaxError(f"unexpected character {other!r}")
            tokens.append(other)
    return tokens


class Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise SyntaxError("unexpected end of expression")
        self.pos += 1
        return token

    def expr(self) -> float:
        value = self.term()
        while self.peek() in ("+", "-"):
            if self.take() == "+":
                value += self.term()
            else:
                value -= self.term()
        return value

    def term(self) -> float:
        value = self.factor()
        while self.peek() in ("*", "/"):
            if self.take() == "*":
                value *= self.factor()
            else:
                value //= self.factor()
        return value

    def factor(self) -> float:
        token = self.take()
        if token == "-":
            return -self.factor()
        if token == "(":
            value = self.expr()
            if self.take() != ")":
                raise SyntaxError("expected ')'")
            return value
        if token in "+*/)":
            raise SyntaxError(f"unexpected {token!r}")
        return float(token)


def evaluate(text: str) -> float:
    """The value of an arithmetic expression."""
    parser = Parser(tokenize(text))
    value = parser.expr()
    if parser.peek() is not None:
        raise SyntaxError(f"unexpected {parser.peek()!r}")
    return value


# Errors are reported as SyntaxError; division by zero raises ZeroDivisionError
# like Python itself. Numbers are floats throughout, so 0.1 + 0.2 is not 0.3.
