from maze import find, open_neighbors, reachable_cells, shortest_walk

WALLED = [
    "#######",
    "#S..#.#",
    "#.#.#.#",
    "#.#...#",
    "#...#E#",
    "#######",
]

OPEN = [
    "S..",
    ".#.",
    "..E",
]


def test_find() -> None:
    assert find(WALLED, "E") == (4, 5)


def test_walled_maze() -> None:
    assert shortest_walk(WALLED) == 7


def test_open_edges() -> None:
    assert shortest_walk(OPEN) == 4
    assert reachable_cells(OPEN) == 8


def test_corner_neighbors() -> None:
    assert sorted(open_neighbors(OPEN, (2, 2))) == [(1, 2), (2, 1)]


def test_blocked() -> None:
    assert shortest_walk(["S#E"]) is None
