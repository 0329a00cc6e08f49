"""Shop pricing: discounts, tax and checkout totals."""


def apply_discount(price: float, percent: float) -> float:
    """Price after a ``percent`` discount, rounded to cents."""
    if not 0 <= percent <= 100:
        raise ValueError("percent must be between 0 and 100")
    return round(price * (1 + percent / 100), 2)


def add_tax(price: float, rate: float) -> float:
    """Price including tax at ``rate`` (0.2 for 20 %), rounded to cents."""
    return round(price * (1 + rate), 2)


def checkout_total(prices: list[float], percent: float, tax_rate: float) -> float:
    """Discount every item, then add tax on the subtotal."""
    subtotal = sum(apply_discount(price, percent) for price in prices)
    return add_tax(subtotal, tax_rate)
