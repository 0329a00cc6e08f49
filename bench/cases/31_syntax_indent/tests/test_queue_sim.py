import pytest

from queue_sim import BoundedQueue


def test_fifo() -> None:
    q = BoundedQueue(3)
    q.push(1)
    q.push(2)
    assert q.pop() == 1


def test_drops_oldest() -> None:
    q = BoundedQueue(2)
    for i in range(4):
        q.push(i)
    assert list(q.items) == [2, 3]
    assert q.dropped == 2


def test_empty() -> None:
    with pytest.raises(IndexError):
        BoundedQueue(1).pop()
