from ratings import average_rating, histogram, percent_positive


def test_average() -> None:
    assert average_rating([5, 4, 4, 2]) == 3.75


def test_average_empty() -> None:
    assert average_rating([]) == 0.0


def test_histogram_and_positive() -> None:
    assert histogram([5, 5, 1]) == {1: 1, 2: 0, 3: 0, 4: 0, 5: 2}
    assert percent_positive([5, 4, 1]) == 66.7
