"""Towers of Hanoi: the move list, and a simulator that checks it.

Move n disks from ``source`` to ``target``: move the top n - 1 out of the way
onto ``spare``, move the largest disk, then move the n - 1 back on top of it.
"""

from __future__ import annotations

Move = tuple[str, str]


def hanoi_moves(
    n: int, source: str = "A", target: str = "C", spare: str = "B"
) -> list[Move]:
    """The 2**n - 1 moves that carry n disks from ``source`` to ``target``."""
    if n == 1:
        return []
    return [
        *hanoi_moves(n - 1, source, spare, target),
        (source, target),
        *hanoi_moves(n - 1, spare, target, source),
    ]


def play(n: int, moves: list[Move]) -> dict[str, list[int]]:
    """Apply ``moves`` to n disks on peg A; raise ValueError on an illegal move.

    Disks are numbered by size (1 is the smallest); each peg lists its disks
    bottom to top.
    """
    pegs = {"A": list(range(n, 0, -1)), "B": [], "C": []}
    for source, target in moves:
        if not pegs[source]:
            raise ValueError(f"no disk on {source}")
        disk = pegs[source][-1]
        if pegs[target] and pegs[target][-1] < disk:
            raise ValueError(f"disk {disk} cannot go on disk {pegs[target][-1]}")
        pegs[target].append(pegs[source].pop())
    return pegs


def solved(n: int) -> bool:
    """Whether the generated moves really stack all n disks on peg C."""
    return play(n, hanoi_moves(n)) == {"A": [], "B": [], "C": list(range(n, 0, -1))}
