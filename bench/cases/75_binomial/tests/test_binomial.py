import math

from binomial import binomial_cdf, binomial_pmf, check_distribution, pascal_triangle


def test_pascal() -> None:
    assert pascal_triangle(5) == [
        [1],
        [1, 1],
        [1, 2, 1],
        [1, 3, 3, 1],
        [1, 4, 6, 4, 1],
    ]


def test_pmf() -> None:
    assert math.isclose(binomial_pmf(1, 2, 0.5), 0.5)
    assert math.isclose(binomial_pmf(2, 4, 0.5), 6 / 16)
    assert binomial_pmf(5, 3, 0.5) == 0.0


def test_cdf() -> None:
    assert math.isclose(binomial_cdf(1, 3, 0.5), 0.5)


def test_distribution_sums_to_one() -> None:
    assert check_distribution(10, 0.3)
