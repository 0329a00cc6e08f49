"""Disjoint sets (union-find) and two network questions built on them.

``UnionFind`` keeps a forest: every element points to a parent, and the root
of its tree names its set. Two tricks keep the trees flat:

* union by size: the smaller tree is hung below the root of the larger one;
* path compression: ``find`` re-points every node it walks past at the root.

Together they make every operation effectively O(1) (inverse Ackermann).

Built on top:

* ``minimum_spanning_tree``: Kruskal's algorithm, cheapest edges first,
  skipping any edge whose ends are already connected;
* ``groups``: the connected groups of a list of links.

Example::

    >>> cables = [("a", "b", 4), ("b", "c", 1), ("a", "c", 3), ("c", "d", 2)]
    >>> minimum_spanning_tree(["a", "b", "c", "d"], cables)
    (6, [('b', 'c', 1), ('c', 'd', 2), ('a', 'c', 3)])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

Edge = tuple[Hashable, Hashable, float]


class UnionFind:
    """Disjoint sets over the elements given at construction (more can be added)."""

    def __init__(self, elements: Iterable[Hashable] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}
        for element in elements:
            self.add(element)

    def add(self, element: Hashable) -> None:
        """A new singleton set (no-op for a known element)."""
        if element not in self._parent:
            self._parent[element] = element
            self._size[element] = 1

    def find(self, element: Hashable) -> Hashable:
        """The root of ``element``'s set, compressing the path on the way."""
        root = element
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[element] != root:
            self._parent[element], element = root, self._parent[element]
        return root

    def union(self, a: Hashable, b: Hashable) -> bool:
        """Join the sets of ``a`` and ``b``; False if they were already one."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        if self._size[root_a] < self._size[root_b]:
            root_a, root_b = root_b, root_a
        self._parent[root_b] = root_a
        self._size[root_a] += self._size[root_b]
        return True

    def connected(self, a: Hashable, b: Hashable) -> bool:
        return self.find(a) == self.find(b)

    def set_size(self, element: Hashable) -> int:
        return self._size[self.find(element)]

    def sets(self) -> list[list[Hashable]]:
        """Every set as a sorted list, ordered by its smallest element."""
        found: dict[Hashable, list[Hashable]] = {}
        for element in self._parent:
            found.setdefault(self.find(element), []).append(element)
        return sorted(sorted(members) for members in found.values())


def groups(links: Iterable[tuple[Hashable, Hashable]]) -> list[list[Hashable]]:
    """Connected groups of the elements mentioned in ``links``."""
    sets = UnionFind()
    for a, b in links:
        sets.add(a)
        sets.add(b)
        sets.union(a, b)
    return sets.sets()


def minimum_spanning_tree(
    nodes: Iterable[Hashable], edges: Iterable[Edge]
) -> tuple[float, list[Edge]]:
    """(total weight, chosen edges in the order taken) of a minimum spanning
    forest: cheapest edges first, ties in the order given."""
    sets = UnionFind(nodes)
    chosen: list[Edge] = []
    total: float = 0
    for a, b, weight in sorted(edges, key=lambda edge: edge[0]):
        if sets.union(a, b):
            chosen.append((a, b, weight))
            total += weight
    return total, chosen


# Testing notes
# -------------
# The spanning tree of a connected graph with n nodes has n - 1 edges; fewer
# means the graph was not connected (the result is then a spanning forest,
# one tree per group). Equal weights keep their input order because sorted()
# is stable, so results are reproducible.
