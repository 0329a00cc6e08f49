import pytest

from coloring import is_bipartite, sides, two_coloring
from graph import Graph


def test_square_is_bipartite() -> None:
    graph = Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])
    assert two_coloring(graph) == {"a": 0, "b": 1, "d": 1, "c": 0}


def test_sides_of_two_components() -> None:
    graph = Graph([(1, 2), (2, 3), (10, 11)])
    assert sides(graph) == ([1, 3, 10], [2, 11])


def test_triangle_is_not_bipartite() -> None:
    graph = Graph([("x", "y"), ("y", "z"), ("z", "x")])
    assert not is_bipartite(graph)
    with pytest.raises(ValueError):
        sides(graph)


def test_single_edge() -> None:
    assert is_bipartite(Graph([("p", "q")]))
