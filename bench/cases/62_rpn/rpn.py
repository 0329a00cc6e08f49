"""Reverse Polish notation: evaluate it, and convert infix to it.

In RPN the operator follows its operands, so ``3 4 -`` is ``3 - 4`` and no
parentheses are needed: ``(1 + 2) * 4`` is ``1 2 + 4 *``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "^": operator.pow,
}
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 3}
RIGHT_ASSOCIATIVE = {"^"}


def to_rpn(tokens: list[str]) -> list[str]:
    """Infix tokens to RPN with the shunting-yard algorithm."""
    output: list[str] = []
    stack: list[str] = []
    for token in tokens:
        if token in PRECEDENCE:
            while stack and stack[-1] in PRECEDENCE:
                top = stack[-1]
                if PRECEDENCE[top] > PRECEDENCE[token] or (
                    PRECEDENCE[top] == PRECEDENCE[token]
                    and token not in RIGHT_ASSOCIATIVE
                ):
                    output.append(stack.pop())
                else:
                    break
            stack.append(token)
        elif token == "(":
            stack.append(token)
        elif token == ")":
            while stack and stack[-1] != "(":
                output.append(stack.pop())
            if not stack:
                raise ValueError("unbalanced ')'")
            stack.pop()
        else:
            output.append(token)
    while stack:
        if stack[-1] == "(":
            raise ValueError("unbalanced '('")
        output.append(stack.pop())
    return output


def evaluate_rpn(tokens: list[str]) -> float:
    """The value of an RPN token list; operands are numbers."""
    stack: list[float] = []
    for token in tokens:
        if token in OPERATORS:
            if len(stack) < 2:
                raise ValueError(f"{token!r} needs two operands")
            right = stack.pop()
            left = stack.pop()
            stack.append(OPERATORS[token](right, left))
        else:
            stack.append(float(token))
    if len(stack) != 1:
        raise ValueError("leftover operands")
    return stack[0]


def calculate(expression: str) -> float:
    """Space-separated infix (``"( 1 + 2 ) * 4"``) evaluated through RPN."""
    return evaluate_rpn(to_rpn(expression.split()))


# Operands are plain floats; "2 3 ^" is 8.0. Exponentiation is the only
# right-associative operator: "2 ^ 3 ^ 2" is 2 ^ (3 ^ 2) = 512, not 64.
