"""Build validators for named measurements from their allowed ranges."""

from collections.abc import Callable


def make_range_checks(
    limits: dict[str, tuple[float, float]],
) -> dict[str, Callable[[float], bool]]:
    """One predicate per name, true when a value lies in its closed range."""
    checks = {}
    for name, (low, high) in limits.items():
        checks[name] = lambda x: low <= x <= high
    return checks


def failing(
    checks: dict[str, Callable[[float], bool]], values: dict[str, float]
) -> list[str]:
    """Names whose value fails its check, sorted."""
    return sorted(name for name, value in values.items() if not checks[name](value))
