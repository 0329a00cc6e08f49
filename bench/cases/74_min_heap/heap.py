"""A binary min-heap in a Python list, without the heapq module.

The children of index i live at 2i + 1 and 2i + 2; its parent at (i - 1) // 2.
The smallest element is always at index 0.
"""

from __future__ import annotations

from collections.abc import Iterable


class MinHeap:
    def __init__(self, values: Iterable = ()) -> None:
        self._items: list = []
        for value in values:
            self.push(value)

    def __len__(self) -> int:
        return len(self._items)

    def peek(self):
        if not self._items:
            raise IndexError("peek at an empty heap")
        return self._items[0]

    def push(self, value) -> None:
        self._items.append(value)
        self._sift_up(len(self._items) - 1)

    def pop(self):
        """Remove and return the smallest element."""
        if not self._items:
            raise IndexError("pop from an empty heap")
        last = self._items.pop()
        if not self._items:
            return last
        smallest, self._items[0] = self._items[0], last
        self._sift_down(0)
        return smallest

    def _sift_up(self, index: int) -> None:
        items = self._items
        while index > 0:
            parent = (index - 1) // 2
            if items[index] >= items[parent]:
                break
            items[index], items[parent] = items[parent], items[index]
            index = parent

    def _sift_down(self, index: int) -> None:
        items = self._items
        while True:
            child = 2 * index
            if child >= len(items):
                return
            if child + 1 < len(items) and items[child + 1] < items[child]:
                child += 1
            if items[index] <= items[child]:
                return
            items[index], items[child] = items[child], items[index]
            index = child


def heap_sort(values: Iterable) -> list:
    heap = MinHeap(values)
    return [heap.pop() for _ in range(len(heap))]


def k_smallest(values: Iterable, k: int) -> list:
    heap = MinHeap(values)
    return [heap.pop() for _ in range(min(k, len(heap)))]


# push and pop are O(log n); building a heap by n pushes is O(n log n) (a
# bottom-up heapify would be O(n), not needed at these sizes).
