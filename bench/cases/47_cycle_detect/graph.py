"""Directed graphs for the traversal helpers."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class DiGraph:
    """A directed graph; successors are kept in the order the edges were added."""

    def __init__(self, edges: Iterable[tuple[Hashable, Hashable]] = ()) -> None:
        self._succ: dict[Hashable, list[Hashable]] = {}
        for src, dst in edges:
            self.add_edge(src, dst)

    def add_node(self, node: Hashable) -> None:
        self._succ.setdefault(node, [])

    def add_edge(self, src: Hashable, dst: Hashable) -> None:
        self.add_node(src)
        self.add_node(dst)
        self._succ[src].append(dst)

    def successors(self, node: Hashable) -> list[Hashable]:
        return list(self._succ.get(node, []))

    def nodes(self) -> list[Hashable]:
        return list(self._succ)
