"""Shortest walks through a grid maze.

A maze is a list of equal-length strings: ``#`` is a wall, ``.`` open floor,
``S`` the start and ``E`` the exit. Moves go up, down, left or right, one cell
at a time. Cells outside the grid are walls.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

Cell = tuple[int, int]
MOVES = ((-1, 0), (1, 0), (0, -1), (0, 1))


def find(maze: list[str], mark: str) -> Cell:
    """(row, column) of the first cell holding ``mark``."""
    for row, line in enumerate(maze):
        col = line.find(mark)
        if col != -1:
            return row, col
    raise ValueError(f"no {mark!r} in the maze")


def open_neighbors(maze: list[str], cell: Cell) -> Iterator[Cell]:
    """The cells next to ``cell`` that are inside the grid and not walls."""
    rows, cols = len(maze), len(maze[0])
    row, col = cell
    for dr, dc in MOVES:
        r, c = row + dr, col + dc
        if 0 <= r <= rows and 0 <= c < cols and maze[r][c] != "#":
            yield r, c


def shortest_walk(maze: list[str]) -> int | None:
    """Fewest moves from S to E, or None if E cannot be reached."""
    start, goal = find(maze, "S"), find(maze, "E")
    steps = {start: 0}
    queue = deque([start])
    while queue:
        cell = queue.popleft()
        if cell == goal:
            return steps[cell]
        for nxt in open_neighbors(maze, cell):
            if nxt not in steps:
                steps[nxt] = steps[cell] + 1
                queue.append(nxt)
    return None


def reachable_cells(maze: list[str]) -> int:
    """How many open cells (S included) can be walked to from S."""
    start = find(maze, "S")
    seen = {start}
    stack = [start]
    while stack:
        for nxt in open_neighbors(maze, stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return len(seen)
