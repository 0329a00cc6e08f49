"""Split a list of items into pages for a listing view."""

from math import ceil


def page_count(total: int, per_page: int) -> int:
    """Number of pages needed to show ``total`` items; always at least one."""
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    return max(1, ceil(total / per_page))


def paginate(items: list, page: int, per_page: int = 10) -> list:
    """Items shown on ``page`` (pages start at 1); empty past the last page."""
    if page < 1:
        raise ValueError("pages start at 1")
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    start = page * per_page
    return items[start:start + per_page]
