from components import (
    component_of,
    connected_components,
    count_components,
    largest_component,
)
from graph import Graph


def build() -> Graph:
    graph = Graph([(1, 2), (2, 3), (4, 5), (3, 1), (6, 7), (7, 8), (8, 9)])
    graph.add_node(10)
    return graph


def test_components() -> None:
    assert connected_components(build()) == [[1, 2, 3], [4, 5], [6, 7, 8, 9], [10]]


def test_count() -> None:
    assert count_components(build()) == 4


def test_component_of() -> None:
    assert component_of(build(), 5) == [4, 5]


def test_largest() -> None:
    assert largest_component(build()) == [6, 7, 8, 9]
