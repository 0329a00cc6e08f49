"""Invoice arithmetic for order lines of the form {"sku", "quantity", "unit_price"}."""


def line_total(line: dict) -> float:
    """Quantity times unit price of one line."""
    return line["quantity"] * line["unit_price"]


def invoice_total(lines: list[dict], shipping: float = 0.0) -> float:
    """Sum of all line totals plus shipping, rounded to cents."""
    subtotal = sum(line_total(line) for line in lines)
    return round(subtotal + shipping, 2)


def most_expensive_line(lines: list[dict]) -> dict | None:
    """The line with the highest total (the first one on ties); None if empty."""
    best = None
    best_total = 0.0
    for line in lines:
        total = line_total(line)
        if best is None or total > best_total:
            best, best_total = line, best_total
    return best
