"""Two-colouring (bipartite check) of an undirected :class:`graph.Graph`.

A graph is bipartite when its nodes split into two sides with every edge going
from one side to the other; that is the case exactly when it has no cycle of
odd length. Uses: scheduling two shifts, splitting teams, checking that a
matching problem is well formed.
"""

from __future__ import annotations

from collections import deque

from graph import Graph


def two_coloring(graph: Graph) -> dict | None:
    """Colour 0 or 1 for every node so each edge joins different colours.

    Each component's first node (in insertion order) gets colour 0. Returns
    None if no such colouring exists.
    """
    colors: dict = {}
    for start in graph:
        if start in colors:
            continue
        colors[start] = 0
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in graph.neighbors(node):
                if nxt not in colors:
                    colors[nxt] = 1 - colors[node]
                    queue.append(nxt)
                elif colors[nxt] != colors[node]:
                    return None
    return colors


def is_bipartite(graph: Graph) -> bool:
    return two_coloring(graph) is not None


def sides(graph: Graph) -> tuple[list, list]:
    """The two sides, each sorted; raises ValueError for a non-bipartite graph."""
    colors = two_coloring(graph)
    if colors is None:
        raise ValueError("the graph has an odd cycle")
    left = sorted(node for node, color in colors.items() if color == 0)
    right = sorted(node for node, color in colors.items() if color == 1)
    return left, right


# Breadth-first search visits a component level by level; neighbouring levels
# get different colours, so a clash inside one level (or between a node and a
# node of its own level) is exactly an odd cycle.
