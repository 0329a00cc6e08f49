from graph import DiGraph
from traversal import all_paths, count_paths, dfs_order, reachable

EDGES = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e"), ("b", "c")]


def test_dfs_order() -> None:
    assert dfs_order(DiGraph(EDGES), "a") == ["a", "b", "d", "e", "c"]


def test_reachable() -> None:
    graph = DiGraph(EDGES)
    assert reachable(graph, "a", "e")
    assert not reachable(graph, "e", "a")


def test_all_paths() -> None:
    assert all_paths(DiGraph(EDGES), "a", "d") == [
        ["a", "b", "d"],
        ["a", "b", "c", "d"],
        ["a", "c", "d"],
    ]


def test_path_to_itself() -> None:
    assert all_paths(DiGraph(EDGES), "c", "c") == [["c"]]


def test_count_paths_with_cycle() -> None:
    graph = DiGraph([*EDGES, ("d", "a")])
    assert count_paths(graph, "a", "e") == 3
