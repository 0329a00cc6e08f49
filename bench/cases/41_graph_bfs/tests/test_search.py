import pytest

from graph import Graph
from search import bfs_order, distances, shortest_path


def make_graph() -> Graph:
    edges = [("a", "b"), ("b", "c"), ("a", "d"), ("d", "c"), ("c", "e"), ("x", "y")]
    return Graph(edges)


def test_bfs_order() -> None:
    assert bfs_order(make_graph(), "a") == ["a", "b", "d", "c", "e"]


def test_distances() -> None:
    assert distances(make_graph(), "a") == {"a": 0, "b": 1, "d": 1, "c": 2, "e": 3}


def test_shortest_path() -> None:
    graph = make_graph()
    assert shortest_path(graph, "a", "e") == ["a", "b", "c", "e"]
    assert shortest_path(graph, "e", "e") == ["e"]


def test_unreachable_goal() -> None:
    assert shortest_path(make_graph(), "a", "y") is None


def test_unknown_start() -> None:
    with pytest.raises(KeyError):
        bfs_order(make_graph(), "zzz")
