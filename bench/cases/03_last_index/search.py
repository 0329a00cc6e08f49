"""Linear searches over plain lists."""


def first_index(items: list, target: object) -> int:
    """Index of the first element equal to ``target``, or -1."""
    for i, item in enumerate(items):
        if item == target:
            return i
    return -1


def last_index(items: list, target: object) -> int:
    """Index of the last element equal to ``target``, or -1."""
    for i in range(len(items) - 1, 0, -1):
        if items[i] == target:
            return i
    return -1


def count_between(items: list, low: float, high: float) -> int:
    """How many elements lie in the closed interval [low, high]."""
    return sum(1 for item in items if low <= item <= high)
