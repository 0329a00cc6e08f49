"""Sales analytics over order records.

An order looks like::

    {"id": 1, "total": 25.0,
     "customer": {"name": "Ana", "address": {"country": "PT"}},
     "shipping": {"method": "post", "address": {"country": "ES"}}}
"""


def revenue_by_country(orders: list[dict]) -> dict[str, float]:
    """Total revenue per destination country (where the order ships to)."""
    totals: dict[str, float] = {}
    for order in orders:
        country = order["customer"]["address"]["country"]
        totals[country] = totals.get(country, 0.0) + order["total"]
    return totals


def orders_by_method(orders: list[dict]) -> dict[str, int]:
    """Number of orders per shipping method."""
    counts: dict[str, int] = {}
    for order in orders:
        method = order["shipping"]["method"]
        counts[method] = counts.get(method, 0) + 1
    return counts
