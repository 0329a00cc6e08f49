from orders import orders_by_method, revenue_by_country


def order(oid: int, total: float, billing: str, ship_to: str, method: str) -> dict:
    return {
        "id": oid,
        "total": total,
        "customer": {"name": f"c{oid}", "address": {"country": billing}},
        "shipping": {"method": method, "address": {"country": ship_to}},
    }


ORDERS = [
    order(1, 10.0, "PT", "PT", "post"),
    order(2, 25.0, "PT", "ES", "courier"),
    order(3, 5.0, "FR", "ES", "post"),
]


def test_revenue_by_destination() -> None:
    assert revenue_by_country(ORDERS) == {"PT": 10.0, "ES": 30.0}


def test_methods() -> None:
    assert orders_by_method(ORDERS) == {"post": 2, "courier": 1}
