from window import cumulative_sum, moving_average


def test_pairs() -> None:
    assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]


def test_window_equal_to_length() -> None:
    assert moving_average([2, 4, 6], 3) == [4.0]


def test_window_longer_than_series() -> None:
    assert moving_average([1, 2], 5) == []


def test_cumulative_sum() -> None:
    assert cumulative_sum([1, 2, 3]) == [1.0, 3.0, 6.0]
