"""Binomial coefficients, Pascal's triangle and the binomial distribution."""

from __future__ import annotations

from math import comb, isclose


def pascal_row(n: int) -> list[int]:
    """Row n of Pascal's triangle (row 0 is [1]), built by addition."""
    row = [1]
    for _ in range(n):
        row = [a + b for a, b in zip([0, *row], [*row, 0])]
    return row


def pascal_triangle(rows: int) -> list[list[int]]:
    return [pascal_row(n) for n in range(rows)]


def binomial_pmf(k: int, n: int, p: float) -> float:
    """Probability of exactly k successes in n independent trials of chance p."""
    if not 0 <= p <= 1:
        raise ValueError("p must be a probability")
    if not 0 <= k <= n:
        return 0.0
    return comb(k, n) * p**k * (1 - p) ** (n - k)


def binomial_cdf(k: int, n: int, p: float) -> float:
    """Probability of at most k successes."""
    return sum(binomial_pmf(i, n, p) for i in range(k + 1))


def check_distribution(n: int, p: float) -> bool:
    """Sanity check: the probabilities of 0..n successes add up to 1."""
    return isclose(binomial_cdf(n, n, p), 1.0)


# Note the argument order of math.comb: comb(n, k) is "n choose k" and is 0
# when k > n. binomial_pmf takes k first, like scipy.stats.binom.pmf(k, n, p).
