"""Depth-first traversals of a :class:`graph.DiGraph`."""

from __future__ import annotations

from collections.abc import Hashable

from graph import DiGraph


def dfs_order(graph: DiGraph, start: Hashable) -> list[Hashable]:
    """Nodes reachable from ``start`` in depth-first preorder.

    Successors are explored in the order they were added, like the recursive
    version would, but with an explicit stack so deep graphs do not hit the
    recursion limit.
    """
    order: list[Hashable] = []
    seen: set[Hashable] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        # reversed, so the first successor is popped first
        stack.extend(reversed(graph.successors(node)))
    return order


def reachable(graph: DiGraph, start: Hashable, goal: Hashable) -> bool:
    """Whether a directed path leads from ``start`` to ``goal``."""
    return goal in dfs_order(graph, start)


def all_paths(graph: DiGraph, start: Hashable, goal: Hashable) -> list[list[Hashable]]:
    """Every simple path (no repeated node) from ``start`` to ``goal``.

    Paths are listed in depth-first order. ``path`` is the one list the search
    extends and shrinks as it goes; a copy of it is kept for every path found.
    """
    paths: list[list[Hashable]] = []
    path = [start]

    def extend(node: Hashable) -> None:
        if node == goal:
            paths.append(path)
            return
        for nxt in graph.successors(node):
            if nxt in path:
                continue
            path.append(nxt)
            extend(nxt)
            path.pop()

    extend(start)
    return paths


def count_paths(graph: DiGraph, start: Hashable, goal: Hashable) -> int:
    """Number of simple paths from ``start`` to ``goal``."""
    return len(all_paths(graph, start, goal))


# The number of simple paths can grow exponentially with the size of the graph:
# ``all_paths`` is meant for small graphs (build plans, state machines), not for
# road networks.
