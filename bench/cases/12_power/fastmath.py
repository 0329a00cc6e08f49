"""Integer-exponent arithmetic without the ** operator."""


def power(base: float, exponent: int) -> float:
    """``base`` raised to a non-negative integer ``exponent``, by squaring."""
    if exponent < 0:
        raise ValueError("exponent must be non-negative")
    if exponent == 1:
        return base
    half = power(base, exponent // 2)
    if exponent % 2:
        return half * half * base
    return half * half


def gcd(a: int, b: int) -> int:
    """Greatest common divisor of two non-negative integers."""
    if b == 0:
        return a
    return gcd(b, a % b)
