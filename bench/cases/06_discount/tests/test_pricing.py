from pricing import add_tax, apply_discount, checkout_total


def test_discount() -> None:
    assert apply_discount(200.0, 25) == 150.0


def test_no_discount() -> None:
    assert apply_discount(19.99, 0) == 19.99


def test_tax() -> None:
    assert add_tax(100.0, 0.2) == 120.0


def test_checkout() -> None:
    assert checkout_total([10.0, 30.0], 50, 0.1) == 22.0
