"""Helpers for arbitrarily nested lists."""


def flatten(value: object) -> list:
    """All non-list leaves of a nested list, left to right."""
    if not isinstance(value, list):
        return value
    result = []
    for item in value:
        result.extend(flatten(item))
    return result


def depth(value: object) -> int:
    """Nesting depth: 0 for a leaf, 1 for a flat (or empty) list."""
    if not isinstance(value, list):
        return 0
    return 1 + max((depth(item) for item in value), default=0)
