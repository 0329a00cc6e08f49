"""A bounded FIFO queue that drops the oldest item when full."""

from collections import deque


class BoundedQueue:
    """FIFO queue holding at most ``capacity`` items."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.items: deque = deque()
        self.dropped = 0

    def push(self, item: object) -> None:
        """Add ``item``; drop (and count) the oldest one when full."""
        if len(self.items) >= self.capacity:
            self.items.popleft()
            self.dropped += 1
        self.items.append(item)

    def pop(self) -> object:
        """Remove and return the oldest item; IndexError when empty."""
        if self.items:
            return self.items.popleft()
      else:
            raise IndexError("pop from an empty queue")
