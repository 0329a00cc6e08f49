"""Connected components of an undirected :class:`graph.Graph`.

A component is a maximal set of nodes that are all reachable from each other.
Components are returned as sorted lists, ordered by their smallest node, so the
results are easy to compare in tests and reports.
"""

from __future__ import annotations

from graph import Graph


def connected_components(graph: Graph) -> list[list]:
    """All components of ``graph``, each sorted, ordered by their first node."""
    seen: set = set()
    components: list[list] = []
    for start in graph:
        if start in seen:
            continue
        seen.add(start)
        component = []
        stack = [start]
        while stack:
            node = stack.pop()
            component.append(start)
            for nxt in graph.neighbors(node):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        components.append(sorted(component))
    return sorted(components)


def count_components(graph: Graph) -> int:
    """How many separate pieces the graph has (isolated nodes count)."""
    return len(connected_components(graph))


def component_of(graph: Graph, node) -> list:
    """The sorted component that contains ``node``."""
    for component in connected_components(graph):
        if node in component:
            return component
    raise KeyError(node)


def largest_component(graph: Graph) -> list:
    """The component with the most nodes (the first one on ties)."""
    return max(connected_components(graph), key=len, default=[])


# An iterative depth-first search is used on purpose: the recursive version hits
# Python's recursion limit on long chains (a path graph of a few thousand nodes).
