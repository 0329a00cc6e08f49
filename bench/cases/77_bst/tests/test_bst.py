from bst import build, contains, height, in_order, insert


def test_insert_into_empty() -> None:
    root = insert(None, 7)
    assert root.key == 7
    assert list(in_order(root)) == [7]


def test_in_order_is_sorted() -> None:
    root = build([50, 30, 70, 20, 40, 60, 80, 30])
    assert list(in_order(root)) == [20, 30, 40, 50, 60, 70, 80]


def test_contains() -> None:
    root = build([8, 3, 10, 1, 6])
    assert contains(root, 6)
    assert not contains(root, 7)


def test_height() -> None:
    assert height(build([2, 1, 3])) == 1
    assert height(build([1, 2, 3, 4])) == 3
    assert height(None) == -1
