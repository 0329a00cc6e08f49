from life import count_neighbors, step

BLINKER = [
    [0, 0, 0],
    [1, 1, 1],
    [0, 0, 0],
]


def test_count_neighbors() -> None:
    assert count_neighbors(BLINKER, 1, 1) == 2
    assert count_neighbors(BLINKER, 0, 1) == 3


def test_blinker_oscillates() -> None:
    assert step(BLINKER) == [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
    assert step(step(BLINKER)) == BLINKER
