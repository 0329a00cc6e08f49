"""What one test run may use: memory, processes, CPU time, file size and open files.

Set as resource limits by the launcher in the run's first process, so every descendant
inherits them; the cgroups (``cgroups.py``) cap the same memory and processes for the run
as a whole, where each process's own limit would let many of them add up.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass

FILE_SIZE_LIMIT = 256 * 1024 * 1024  # one file; the copy as a whole: ``disk_watch``


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096
    max_processes: int = 256
    cpu_seconds: int = 600


def rlimits(limits: Limits, timeout: float) -> dict[str, int]:
    """The resource limits of a run stopped after ``timeout`` seconds, by name."""
    return {
        "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
        "RLIMIT_FSIZE": FILE_SIZE_LIMIT,
        "RLIMIT_CORE": 0,
        "RLIMIT_CPU": max(1, int(min(timeout, limits.cpu_seconds)) + 5),
        "RLIMIT_NOFILE": 1024,
        "RLIMIT_NPROC": _nproc_limit(limits.max_processes),
    }


def _nproc_limit(max_processes: int) -> int:
    """RLIMIT_NPROC counts every thread of the user, so allow what already runs plus ours."""
    if os.getuid() == 0:
        return resource.RLIM_INFINITY  # not enforced for root: the cgroup or PID ns guards
    mine = 0
    uid = os.getuid()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    mine += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                continue
    return mine + max_processes + 64
