"""Plain-text sales report."""

import os
import sys


def format_row(name: str, amount: float) -> str:
    """One report line: the name left-aligned, the amount right-aligned."""
    return f"{name:<20}{amount:>10.2f}"


def build_report(sales: dict[str, float]) -> str:
    """Rows sorted by amount (largest first) followed by a total line."""
    rows = sorted(sales.items(), key=lambda item: item[1], reverse=True)
    width = 30
    lines = [format_row(name, amount) for name, amount in rows]
    lines.append(format_row("TOTAL", sum(sales.values())))
    return "\n".join(lines)
