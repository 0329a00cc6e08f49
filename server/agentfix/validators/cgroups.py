"""Limits on a whole test run, not on each process: cgroups for processes and memory.

Resource limits (``RLIMIT_AS``) bind each process: four children of a test run reached
3.3 GB under a 1 GB limit. A cgroup counts the run as a whole — the pids controller caps
its processes (the fork-bomb guard that also binds root), the memory controller its memory
(v2 ``memory.max``, v1 ``memory.limit_in_bytes``). Each is used where this machine lets
agentfix create a child cgroup (cgroup v1 has one folder per controller, v2 one for all).
"""

from __future__ import annotations

import os
import uuid
from functools import cache
from pathlib import Path

MOUNT = Path("/sys/fs/cgroup")


def _own_paths() -> dict[str, str]:
    """Controller (``""`` for v2) → this process's cgroup path, from /proc/self/cgroup."""
    found: dict[str, str] = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        for controller in parts[1].split(",") if parts[1] else [""]:
            found[controller] = parts[2].lstrip("/")
    return found


def _probe(root: Path, control: str) -> bool:
    probe = root / f"agentfix-probe-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    try:
        probe.mkdir()
    except OSError:
        return False
    ok = (probe / control).exists()
    try:
        probe.rmdir()
    except OSError:
        pass
    return ok


def _root_for(controller: str, control: str) -> Path | None:
    own = _own_paths()
    candidates = [MOUNT / controller / own.get(controller, ""), MOUNT / controller]
    if "" in own:  # cgroup v2: one hierarchy, the controller enabled for children or not
        candidates.append(MOUNT / own[""])
    for root in dict.fromkeys(candidates):
        if root.is_dir() and _probe(root, control):
            return root
    return None


@cache
def pids_root() -> Path | None:
    """A writable cgroup folder whose children have ``pids.max``, or None."""
    return _root_for("pids", "pids.max")


@cache
def memory_root() -> tuple[Path, str] | None:
    """A writable cgroup folder whose children limit memory, and the file that does."""
    for control in ("memory.max", "memory.limit_in_bytes"):
        root = _root_for("memory", control)
        if root is not None:
            return root, control
    return None


def make_groups(max_processes: int, memory_bytes: int) -> list[Path]:
    """Fresh child cgroups holding the limits (best effort: none where not allowed)."""
    made: list[Path] = []
    name = f"agentfix-{os.getpid()}-{uuid.uuid4().hex[:10]}"
    memory = memory_root()
    wanted = [(pids_root(), "pids.max", str(max_processes))]
    if memory is not None:
        wanted.append((memory[0], memory[1], str(memory_bytes)))
    for root, control, value in wanted:
        if root is None:
            continue
        group = root / name
        try:
            group.mkdir(exist_ok=True)
            (group / control).write_text(value)
        except OSError:
            remove_group(group)
            continue
        if group not in made:
            made.append(group)
    return made


def remove_group(group: Path) -> None:
    try:
        group.rmdir()
    except OSError:
        pass
