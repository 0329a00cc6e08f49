from increasing import is_strictly_increasing, lis_length, longest_increasing


def test_length() -> None:
    assert lis_length([10, 9, 2, 5, 3, 7, 101, 18]) == 4
    assert lis_length([]) == 0


def test_repeats_do_not_count() -> None:
    assert lis_length([7, 7, 7, 7]) == 1
    assert lis_length([1, 3, 3, 5, 5]) == 3


def test_sequence() -> None:
    assert longest_increasing([10, 9, 2, 5, 3, 7, 101, 18]) == [2, 5, 7, 101]


def test_strictly_increasing() -> None:
    assert is_strictly_increasing([1, 2, 5])
    assert not is_strictly_increasing([1, 2, 2])
