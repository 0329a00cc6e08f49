from intervals import merge_ranges, total_covered


def test_overlapping() -> None:
    assert merge_ranges([(8, 10), (1, 3), (2, 6)]) == [(1, 6), (8, 10)]


def test_contained() -> None:
    assert merge_ranges([(1, 5), (2, 3)]) == [(1, 5)]


def test_touching_and_empty() -> None:
    assert merge_ranges([(1, 2), (2, 4)]) == [(1, 4)]
    assert merge_ranges([]) == []


def test_total_covered() -> None:
    assert total_covered([(1, 3), (3, 5), (10, 10)]) == 6
