from fastmath import gcd, power


def test_power() -> None:
    assert power(2, 10) == 1024
    assert power(3, 3) == 27


def test_power_zero() -> None:
    assert power(5, 0) == 1


def test_gcd() -> None:
    assert gcd(84, 36) == 12
