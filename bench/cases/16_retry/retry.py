"""Retry flaky operations such as network calls."""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry(
    func: Callable[[], T],
    attempts: int = 3,
    retry_on: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError),
) -> T:
    """Call ``func`` until it succeeds, at most ``attempts`` times.

    Only exceptions listed in ``retry_on`` are retried; the last one is re-raised
    when every attempt failed. Any other exception propagates at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    last_error: BaseException | None = None
    for _ in range(attempts):
        try:
            return func()
        except Exception as exc:
            last_error = exc
    assert last_error is not None
    raise last_error
