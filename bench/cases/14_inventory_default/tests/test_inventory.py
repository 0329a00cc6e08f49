import pytest

from inventory import Inventory


def test_add_and_remove() -> None:
    inv = Inventory({"apple": 2})
    inv.add("apple", 3)
    inv.remove("apple", 4)
    assert inv.stock == {"apple": 1}


def test_not_enough() -> None:
    inv = Inventory()
    with pytest.raises(ValueError):
        inv.remove("pear")


def test_warehouses_are_independent() -> None:
    north = Inventory()
    north.add("bolt", 5)
    south = Inventory()
    assert south.total() == 0
