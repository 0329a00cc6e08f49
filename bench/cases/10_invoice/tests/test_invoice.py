from invoice import invoice_total, most_expensive_line

LINES = [
    {"sku": "pen", "quantity": 10, "unit_price": 1.0},
    {"sku": "lamp", "quantity": 1, "unit_price": 30.0},
    {"sku": "mug", "quantity": 4, "unit_price": 5.0},
]


def test_total() -> None:
    assert invoice_total(LINES, shipping=4.5) == 64.5


def test_most_expensive() -> None:
    assert most_expensive_line(LINES)["sku"] == "lamp"


def test_empty() -> None:
    assert most_expensive_line([]) is None
