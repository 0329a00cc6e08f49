"""Prime numbers: the sieve of Eratosthenes and helpers built on it.

    >>> primes_up_to(30)
    [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    >>> factorize(360)
    [2, 2, 2, 3, 3, 5]
"""

from __future__ import annotations

from math import isqrt


def primes_up_to(limit: int) -> list[int]:
    """All primes <= limit, in increasing order."""
    if limit < 2:
        return []
    flags = [True] * (limit + 1)
    flags[0] = flags[1] = False
    for p in range(2, isqrt(limit) + 1):
        if flags[p]:
            continue  # a composite: its multiples are already crossed out
        for multiple in range(p * p, limit + 1, p):
            flags[multiple] = False
    return [n for n, is_prime in enumerate(flags) if is_prime]


def is_prime(n: int) -> bool:
    """Trial division by the primes up to sqrt(n)."""
    if n < 2:
        return False
    return all(n % p for p in primes_up_to(isqrt(n)))


def factorize(n: int) -> list[int]:
    """Prime factors of n >= 2 with repetition, smallest first."""
    if n < 2:
        raise ValueError("only integers >= 2 have a prime factorization")
    factors = []
    for p in primes_up_to(isqrt(n)):
        while n % p == 0:
            factors.append(p)
            n //= p
    if n > 1:
        factors.append(n)  # what is left is a prime bigger than sqrt(n)
    return factors


def twin_primes(limit: int) -> list[tuple[int, int]]:
    primes = primes_up_to(limit)
    return [(a, b) for a, b in zip(primes, primes[1:]) if b - a == 2]


# Crossing out starts at p * p because every smaller multiple of p has a smaller
# prime factor and was crossed out already. Memory: one flag per number.
