from network import UnionFind, groups, minimum_spanning_tree

CABLES = [("a", "b", 4), ("b", "c", 1), ("a", "c", 3), ("c", "d", 2), ("b", "d", 5)]


def test_union_find() -> None:
    sets = UnionFind(range(6))
    assert sets.union(0, 1)
    assert sets.union(2, 3)
    assert sets.union(1, 3)
    assert not sets.union(0, 2)
    assert sets.connected(0, 3)
    assert not sets.connected(0, 4)
    assert sets.set_size(2) == 4


def test_groups() -> None:
    assert groups([(1, 2), (3, 4), (2, 5)]) == [[1, 2, 5], [3, 4]]


def test_spanning_tree() -> None:
    assert minimum_spanning_tree("abcd", CABLES) == (
        6,
        [("b", "c", 1), ("c", "d", 2), ("a", "c", 3)],
    )


def test_spanning_forest() -> None:
    total, chosen = minimum_spanning_tree("abcxy", [*CABLES[:3], ("x", "y", 7)])
    assert total == 11
    assert len(chosen) == 3
