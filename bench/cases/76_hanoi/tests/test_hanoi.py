import pytest

from hanoi import hanoi_moves, play, solved


def test_small() -> None:
    assert hanoi_moves(1) == [("A", "C")]
    assert hanoi_moves(2) == [("A", "B"), ("A", "C"), ("B", "C")]


def test_counts() -> None:
    assert [len(hanoi_moves(n)) for n in range(6)] == [0, 1, 3, 7, 15, 31]


def test_solved() -> None:
    assert all(solved(n) for n in range(1, 7))


def test_illegal_move() -> None:
    with pytest.raises(ValueError):
        play(2, [("A", "C"), ("A", "C")])
