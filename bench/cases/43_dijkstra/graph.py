"""Weighted directed graphs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Edge:
    target: str
    weight: float


@dataclass
class WeightedGraph:
    """Directed graph with non-negative edge weights, keyed by node name."""

    adjacency: dict[str, list[Edge]] = field(default_factory=dict)

    def add_node(self, name: str) -> None:
        self.adjacency.setdefault(name, [])

    def add_edge(self, source: str, target: str, weight: float) -> None:
        """An edge from ``source`` to ``target`` (one way only)."""
        if weight < 0:
            raise ValueError("weights must be non-negative")
        self.add_node(source)
        self.add_node(target)
        self.adjacency[source].append(Edge(target, weight))

    def edges_from(self, name: str) -> list[Edge]:
        return self.adjacency.get(name, [])

    def __contains__(self, name: object) -> bool:
        return name in self.adjacency
