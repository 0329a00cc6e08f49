from matrix import fibonacci, multiply, power, transpose


def test_transpose_rectangular() -> None:
    assert transpose([[1, 2, 3], [4, 5, 6]]) == [[1, 4], [2, 5], [3, 6]]


def test_multiply() -> None:
    assert multiply([[1, 2], [3, 4]], [[5], [6]]) == [[17], [39]]
    assert multiply([[1, 2, 3]], [[1], [1], [1]]) == [[6]]


def test_power() -> None:
    assert power([[2, 0], [0, 3]], 3) == [[8, 0], [0, 27]]
    assert power([[5, 1], [2, 7]], 0) == [[1, 0], [0, 1]]


def test_fibonacci() -> None:
    assert [fibonacci(n) for n in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
