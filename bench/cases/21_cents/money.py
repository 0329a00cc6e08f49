"""Money amounts as integer cents."""


def to_cents(amount: float) -> int:
    """Whole cents in a decimal amount of money."""
    return int(amount * 100)


def format_cents(cents: int) -> str:
    """1999 -> "19.99"; negative amounts keep their sign."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def split_bill(total: float, people: int) -> list[int]:
    """``total`` split into ``people`` shares in cents; the first get any extra cent."""
    base, extra = divmod(to_cents(total), people)
    return [base + 1 if i < extra else base for i in range(people)]
