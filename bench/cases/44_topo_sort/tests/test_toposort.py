import pytest

from graph import DependencyGraph
from toposort import CycleError, stages, topological_order


def build() -> DependencyGraph:
    graph = DependencyGraph()
    graph.add_dependency("test", "build")
    graph.add_dependency("build", "fetch")
    graph.add_dependency("package", "build")
    graph.add_dependency("package", "docs")
    graph.add_task("lint")
    return graph


def test_order() -> None:
    assert topological_order(build()) == [
        "docs", "fetch", "build", "lint", "package", "test"
    ]


def test_stages() -> None:
    assert stages(build()) == [
        ["docs", "fetch", "lint"],
        ["build"],
        ["package", "test"],
    ]


def test_cycle_is_reported() -> None:
    graph = build()
    graph.add_dependency("fetch", "test")
    with pytest.raises(CycleError):
        topological_order(graph)


def test_self_dependency_is_a_cycle() -> None:
    graph = DependencyGraph()
    graph.add_dependency("a", "a")
    with pytest.raises(CycleError):
        topological_order(graph)
