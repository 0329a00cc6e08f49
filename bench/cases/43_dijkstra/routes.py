"""Cheapest routes over one-way roads, with Dijkstra's algorithm.

A road list is plain text, one road per line: ``FROM TO COST``. Blank lines and
lines starting with ``#`` are ignored. Roads are one-way; write both directions
for a two-way road.

    >>> graph = load_roads("A B 4\\nB C 1\\nA C 7")
    >>> cheapest_route(graph, "A", "C")
    (5.0, ['A', 'B', 'C'])
"""

from __future__ import annotations

import heapq
import math

from graph import WeightedGraph


def load_roads(text: str) -> WeightedGraph:
    """The graph of a road list (see the module docstring for the format)."""
    graph = WeightedGraph()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3:
            raise ValueError(f"line {number}: expected FROM TO COST, got {raw!r}")
        source, target, cost = parts
        graph.add_edge(target, source, float(cost))
    return graph


def dijkstra(
    graph: WeightedGraph, source: str
) -> tuple[dict[str, float], dict[str, str]]:
    """(cost of the cheapest route to every reachable node, predecessor links)."""
    if source not in graph:
        raise KeyError(source)
    best: dict[str, float] = {source: 0.0}
    previous: dict[str, str] = {}
    heap = [(0.0, source)]
    while heap:
        cost, node = heapq.heappop(heap)
        if cost > best.get(node, math.inf):
            continue  # a stale entry: a cheaper route was found after it was pushed
        for edge in graph.edges_from(node):
            candidate = cost + edge.weight
            if candidate < best.get(edge.target, math.inf):
                best[edge.target] = candidate
                previous[edge.target] = node
                heapq.heappush(heap, (candidate, edge.target))
    return best, previous


def cheapest_route(
    graph: WeightedGraph, source: str, target: str
) -> tuple[float, list[str]] | None:
    """(total cost, nodes from ``source`` to ``target``), or None if unreachable."""
    best, previous = dijkstra(graph, source)
    if target not in best:
        return None
    route = [target]
    while route[-1] != source:
        route.append(previous[route[-1]])
    return best[target], route[::-1]


# Why the stale-entry check: heapq has no decrease-key, so a node may sit in the
# heap several times with different costs. Only the cheapest copy is expanded;
# the others are skipped when they are popped.
