import itertools

from combos import combinations, pairs, subsets_with_sum


def test_matches_itertools() -> None:
    for k in range(5):
        assert combinations("abcd", k) == list(itertools.combinations("abcd", k))


def test_pairs() -> None:
    assert pairs(["ann", "bob", "cy"]) == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]


def test_sum() -> None:
    assert subsets_with_sum([3, 1, 4, 2], 5) == [(3, 2), (1, 4)]


def test_k_too_large() -> None:
    assert combinations([1, 2], 3) == []
