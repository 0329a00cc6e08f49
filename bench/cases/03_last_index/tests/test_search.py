from search import count_between, first_index, last_index


def test_last_of_several() -> None:
    assert last_index([3, 1, 3, 2], 3) == 2


def test_only_match_at_start() -> None:
    assert last_index([5, 1, 2], 5) == 0


def test_missing() -> None:
    assert last_index([1, 2], 9) == -1
    assert last_index([], 1) == -1


def test_first_index_and_count() -> None:
    assert first_index([4, 5, 4], 4) == 0
    assert count_between([1, 5, 10, 11], 5, 10) == 2
