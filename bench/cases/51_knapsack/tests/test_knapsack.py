from knapsack import Item, best_items, best_value

ITEMS = [
    Item("tent", 5, 60),
    Item("stove", 3, 50),
    Item("camera", 4, 70),
    Item("book", 2, 30),
]


def test_best_value() -> None:
    assert best_value(ITEMS, 8) == 120


def test_exact_fit() -> None:
    assert best_value([Item("gold", 4, 100)], 4) == 100
    assert best_items(ITEMS, 2) == ["book"]


def test_best_items() -> None:
    assert best_items(ITEMS, 9) == ["stove", "camera", "book"]


def test_nothing_fits() -> None:
    assert best_value(ITEMS, 1) == 0
    assert best_items(ITEMS, 0) == []
