import itertools

from arrangements import anagrams, count_permutations, permutations


def test_full_permutations() -> None:
    assert list(permutations([1, 2, 3])) == list(itertools.permutations([1, 2, 3]))


def test_partial() -> None:
    assert list(permutations("abc", 2)) == list(itertools.permutations("abc", 2))
    assert len(list(permutations(range(5), 3))) == count_permutations(5, 3)


def test_too_long() -> None:
    assert list(permutations("ab", 3)) == []


def test_anagrams() -> None:
    assert anagrams("aab") == ["aab", "aba", "baa"]
