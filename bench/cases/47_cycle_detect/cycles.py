"""Cycle detection in a directed graph with a three-colour depth-first search.

Every node starts WHITE (not visited). A node is GRAY while the search is inside
it (it is on the current path) and BLACK once all its successors are done. An
edge into a GRAY node closes a cycle.

    >>> has_cycle(DiGraph([("a", "b"), ("b", "a")]))
    True
    >>> is_dag(DiGraph([("a", "b"), ("a", "c"), ("b", "c")]))
    True
"""

from __future__ import annotations

from collections.abc import Hashable

from graph import DiGraph

WHITE, GRAY, BLACK = 0, 1, 2


def has_cycle(graph: DiGraph) -> bool:
    """Whether any directed cycle exists (a self-loop counts)."""
    state = {node: WHITE for node in graph.nodes()}

    def visit(node: Hashable) -> bool:
        """True as soon as a cycle is found below ``node``."""
        state[node] = GRAY
        for nxt in graph.successors(node):
            if state[nxt] == GRAY:
                return True
            if state[nxt] == WHITE:
                visit(nxt)
        state[node] = BLACK
        return False

    return any(state[node] == WHITE and visit(node) for node in graph.nodes())


def is_dag(graph: DiGraph) -> bool:
    """Whether the graph is a directed acyclic graph."""
    return not has_cycle(graph)


def self_loops(graph: DiGraph) -> list[Hashable]:
    """Nodes with an edge to themselves, in insertion order."""
    return [node for node in graph.nodes() if node in graph.successors(node)]


# A BLACK node is never entered again: everything below it has been explored and
# found acyclic, which keeps the search linear in the size of the graph.
