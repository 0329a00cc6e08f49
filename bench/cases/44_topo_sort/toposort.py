"""Order tasks so that every task comes after what it needs (Kahn's algorithm).

Ties are broken alphabetically, so the order is reproducible across runs::

    >>> g = DependencyGraph()
    >>> g.add_dependency("test", "build")
    >>> g.add_dependency("build", "fetch")
    >>> g.add_task("lint")
    >>> topological_order(g)
    ['fetch', 'build', 'lint', 'test']
"""

from __future__ import annotations

import heapq

from graph import DependencyGraph


class CycleError(ValueError):
    """The tasks depend on each other in a circle; no order exists."""


def topological_order(graph: DependencyGraph) -> list[str]:
    """Every task after all the tasks it needs; raises CycleError on a cycle."""
    waiting = {task: len(graph.needs(task)) for task in graph.tasks()}
    ready = [task for task, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        task = heapq.heappop(ready)
        order.append(task)
        for later in graph.needed_by(task):
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, later)
    if len(order) > len(graph):
        stuck = sorted(task for task, count in waiting.items() if count > 0)
        raise CycleError(f"cycle among: {', '.join(stuck)}")
    return order


def stages(graph: DependencyGraph) -> list[list[str]]:
    """Tasks grouped into stages: each stage needs only tasks of earlier stages."""
    level: dict[str, int] = {}
    for task in topological_order(graph):
        needs = graph.needs(task)
        level[task] = 1 + max((level[n] for n in needs), default=-1)
    grouped: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for task, index in level.items():
        grouped[index].append(task)
    return [sorted(group) for group in grouped]


# Kahn's algorithm runs in O(V + E) (here O((V + E) log V) with the heap that
# keeps ties alphabetical). A cycle shows up as tasks whose waiting count never
# reaches zero: they are never ready, so the order comes out short.
