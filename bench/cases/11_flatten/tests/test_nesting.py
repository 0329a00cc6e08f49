from nesting import depth, flatten


def test_flatten_nested() -> None:
    assert flatten([1, [2, [3, 4]], 5]) == [1, 2, 3, 4, 5]


def test_flatten_empty_lists() -> None:
    assert flatten([[], [[]], 7]) == [7]


def test_depth() -> None:
    assert depth(3) == 0
    assert depth([1, [2, [3]]]) == 3
