import pytest

from heap import MinHeap, heap_sort, k_smallest


def test_peek_after_pushes() -> None:
    heap = MinHeap()
    for value in [5, 3, 8, 1, 9, 2]:
        heap.push(value)
    assert heap.peek() == 1
    assert len(heap) == 6


def test_heap_sort() -> None:
    data = [9, 4, 7, 1, 8, 2, 6, 3, 5, 0]
    assert heap_sort(data) == sorted(data)


def test_k_smallest() -> None:
    assert k_smallest([10, 4, 12, 3, 7, 1], 3) == [1, 3, 4]


def test_empty() -> None:
    with pytest.raises(IndexError):
        MinHeap().pop()
