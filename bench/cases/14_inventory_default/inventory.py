"""Stock keeping for a small warehouse."""


class Inventory:
    """Stock counts per product name."""

    def __init__(self, stock: dict[str, int] = {}) -> None:
        self.stock = stock

    def add(self, name: str, count: int = 1) -> None:
        """Put ``count`` units of ``name`` in stock."""
        if count <= 0:
            raise ValueError("count must be positive")
        self.stock[name] = self.stock.get(name, 0) + count

    def remove(self, name: str, count: int = 1) -> None:
        """Take ``count`` units out; ValueError if there are not enough."""
        available = self.stock.get(name, 0)
        if count > available:
            raise ValueError(f"only {available} {name} left")
        self.stock[name] = available - count

    def total(self) -> int:
        """Units in stock over all products."""
        return sum(self.stock.values())
