"""A dependency graph: ``add_dependency(task, needs)`` means ``needs`` runs first."""

from __future__ import annotations


class DependencyGraph:
    def __init__(self) -> None:
        self._needed_by: dict[str, set[str]] = {}
        self._needs: dict[str, set[str]] = {}

    def add_task(self, task: str) -> None:
        self._needed_by.setdefault(task, set())
        self._needs.setdefault(task, set())

    def add_dependency(self, task: str, needs: str) -> None:
        self.add_task(task)
        self.add_task(needs)
        self._needs[task].add(needs)
        self._needed_by[needs].add(task)

    def tasks(self) -> list[str]:
        return sorted(self._needs)

    def needs(self, task: str) -> set[str]:
        return set(self._needs[task])

    def needed_by(self, task: str) -> set[str]:
        return set(self._needed_by[task])

    def __len__(self) -> int:
        return len(self._needs)
