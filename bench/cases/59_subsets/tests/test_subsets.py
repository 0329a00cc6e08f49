from subsets import all_subsets, best_split, subset_of_mask, subset_sums


def test_mask() -> None:
    assert subset_of_mask("abcd", 0b1010) == ["b", "d"]
    assert subset_of_mask("abcd", 0) == []


def test_all_subsets() -> None:
    assert all_subsets("abc") == [
        [], ["a"], ["b"], ["c"], ["a", "b"], ["a", "c"], ["b", "c"], ["a", "b", "c"]
    ]


def test_sums() -> None:
    assert subset_sums([1, 2, 4]) == {0, 1, 2, 3, 4, 5, 6, 7}
    assert best_split([3, 1, 4, 2, 2]) == 0
