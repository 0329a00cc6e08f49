"""Breadth-first search over a :class:`graph.Graph`.

Three helpers share one traversal:

* ``bfs_order`` lists the nodes in the order they are reached;
* ``distances`` maps every reachable node to its number of edges from ``start``;
* ``shortest_path`` returns one shortest path between two nodes, or None.

Example::

    >>> g = Graph([("a", "b"), ("b", "c"), ("a", "d")])
    >>> bfs_order(g, "a")
    ['a', 'b', 'd', 'c']
    >>> shortest_path(g, "d", "c")
    ['d', 'a', 'b', 'c']
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable

from graph import Graph


def _parents(graph: Graph, start: Hashable) -> dict[Hashable, Hashable | None]:
    """Breadth-first parent links: each reached node maps to the node it came from.

    ``start`` maps to None. A node is marked when it is queued, not when it is
    dequeued, so no node is ever queued twice.
    """
    if start not in graph:
        raise KeyError(start)
    parents: dict[Hashable, Hashable | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.neighbors(node):
            if nxt not in parents:
                continue
            parents[nxt] = node
            queue.append(nxt)
    return parents


def bfs_order(graph: Graph, start: Hashable) -> list[Hashable]:
    """Nodes reachable from ``start``, in breadth-first order."""
    return list(_parents(graph, start))


def distances(graph: Graph, start: Hashable) -> dict[Hashable, int]:
    """Number of edges on a shortest path from ``start`` to every reachable node."""
    parents = _parents(graph, start)
    found: dict[Hashable, int] = {}
    for node, parent in parents.items():
        # breadth-first order: a parent is always listed before its children
        found[node] = 0 if parent is None else found[parent] + 1
    return found


def shortest_path(
    graph: Graph, start: Hashable, goal: Hashable
) -> list[Hashable] | None:
    """One shortest path from ``start`` to ``goal`` (both included), or None."""
    parents = _parents(graph, start)
    if goal not in parents:
        return None
    path = [goal]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    path.reverse()
    return path


# Notes
# -----
# Marking nodes when they are queued keeps the queue at one entry per node, so a
# search costs O(V + E). ``distances`` relies on dicts keeping insertion order,
# which Python guarantees since 3.7. Among several shortest paths,
# ``shortest_path`` returns the one whose nodes were discovered first.
