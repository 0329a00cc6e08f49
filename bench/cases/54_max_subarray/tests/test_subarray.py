from subarray import max_circular_sum, max_subarray, max_subarray_sum

CLASSIC = [-2, 1, -3, 4, -1, 2, 1, -5, 4]


def test_classic() -> None:
    assert max_subarray(CLASSIC) == (6, 3, 7)


def test_all_negative() -> None:
    assert max_subarray([-3, -1, -2]) == (-1, 1, 2)
    assert max_subarray_sum([-5]) == -5


def test_circular() -> None:
    assert max_circular_sum([5, -3, 5]) == 10
    assert max_circular_sum([-3, -2, -1]) == -1
