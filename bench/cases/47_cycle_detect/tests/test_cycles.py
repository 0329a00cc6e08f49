from cycles import has_cycle, is_dag, self_loops
from graph import DiGraph


def test_direct_cycle() -> None:
    assert has_cycle(DiGraph([("a", "b"), ("b", "a")]))


def test_deep_cycle() -> None:
    graph = DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "b"), ("a", "e")])
    assert has_cycle(graph)
    assert not is_dag(graph)


def test_diamond_is_acyclic() -> None:
    graph = DiGraph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")])
    assert not has_cycle(graph)
    assert is_dag(graph)


def test_self_loop() -> None:
    graph = DiGraph([("a", "b"), ("b", "b")])
    assert has_cycle(graph)
    assert self_loops(graph) == ["b"]
