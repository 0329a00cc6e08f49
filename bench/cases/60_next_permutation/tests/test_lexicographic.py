from lexicographic import all_in_order, next_permutation, rank


def test_next() -> None:
    assert next_permutation([1, 2, 3]) == [1, 3, 2]
    assert next_permutation([1, 3, 2]) == [2, 1, 3]
    assert next_permutation([3, 2, 1]) is None


def test_repeated_values() -> None:
    assert next_permutation([1, 2, 2]) == [2, 1, 2]
    assert all_in_order([2, 1, 1]) == [[1, 1, 2], [1, 2, 1], [2, 1, 1]]


def test_rank() -> None:
    assert rank([1, 2, 3]) == 0
    assert rank([3, 2, 1]) == 5
    assert rank(["b", "a", "c"]) == 2
