"""A small undirected graph: nodes are hashable labels, edges carry no weight."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator


class Graph:
    """Undirected graph kept as an adjacency map.

    Neighbours come back in the order their edges were added, so every traversal
    over a graph is deterministic.
    """

    def __init__(self, edges: Iterable[tuple[Hashable, Hashable]] = ()) -> None:
        self._adj: dict[Hashable, list[Hashable]] = {}
        for a, b in edges:
            self.add_edge(a, b)

    def add_node(self, node: Hashable) -> None:
        self._adj.setdefault(node, [])

    def add_edge(self, a: Hashable, b: Hashable) -> None:
        self.add_node(a)
        self.add_node(b)
        if b not in self._adj[a]:
            self._adj[a].append(b)
            self._adj[b].append(a)

    def neighbors(self, node: Hashable) -> list[Hashable]:
        return list(self._adj[node])

    def __contains__(self, node: object) -> bool:
        return node in self._adj

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._adj)

    def __len__(self) -> int:
        return len(self._adj)
