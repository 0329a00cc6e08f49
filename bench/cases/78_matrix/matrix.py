"""Dense matrices as lists of rows, with no dependencies.

    >>> multiply([[1, 2], [3, 4]], [[5], [6]])
    [[17], [39]]
    >>> fibonacci(10)
    55
"""

from __future__ import annotations

Matrix = list[list[int]]


def shape(m: Matrix) -> tuple[int, int]:
    return len(m), len(m[0]) if m else 0


def identity(n: int) -> Matrix:
    return [[1 if r == c else 0 for c in range(n)] for r in range(n)]


def transpose(m: Matrix) -> Matrix:
    """Rows become columns: an r x c matrix gives a c x r one."""
    rows, cols = shape(m)
    return [[m[r][c] for r in range(rows)] for c in range(rows)]


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """Matrix product a @ b; the columns of ``b`` are read as rows of b^T."""
    if shape(a)[1] != shape(b)[0]:
        raise ValueError(f"cannot multiply {shape(a)} by {shape(b)}")
    columns = transpose(b)
    return [[sum(x * y for x, y in zip(row, col)) for col in columns] for row in a]


def power(m: Matrix, exponent: int) -> Matrix:
    """m ** exponent by repeated squaring (exponent >= 0, m square)."""
    result = identity(len(m))
    base = m
    while exponent:
        if exponent & 1:
            result = multiply(result, base)
        base = multiply(base, base)
        exponent >>= 1
    return result


def fibonacci(n: int) -> int:
    """F(n) from [[1, 1], [1, 0]] ** n, in O(log n) multiplications."""
    return power([[1, 1], [1, 0]], n)[0][1]


# Plain Python integers never overflow, so fibonacci(1000) is exact. For real
# numerical work use numpy: these loops are clear, not fast.
