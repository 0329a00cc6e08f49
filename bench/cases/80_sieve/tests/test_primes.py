from primes import factorize, is_prime, primes_up_to, twin_primes


def test_sieve() -> None:
    assert primes_up_to(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert primes_up_to(1) == []


def test_is_prime() -> None:
    assert [n for n in range(50) if is_prime(n)] == primes_up_to(49)
    assert not is_prime(91)


def test_factorize() -> None:
    assert factorize(360) == [2, 2, 2, 3, 3, 5]
    assert factorize(97) == [97]


def test_twins() -> None:
    assert twin_primes(20) == [(3, 5), (5, 7), (11, 13), (17, 19)]
