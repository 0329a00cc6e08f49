"""How much a test run wrote into its copy of the project, watched while it runs.

RLIMIT_FSIZE caps each file (256 MB), not their sum: a candidate that wrote three files
of 250 MB put 750 MB on the user's disk. The copy lives on a real disk (a tmpfs of the
project's size cannot be made without privileges), so the run's folder is measured about
once a second, by allocated blocks, and the run is stopped once it grew by more than its
allowance. Walking a copy of a few thousand files takes milliseconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

CHECK_EVERY_S = 1.0
STOPPED = "agentfix stopped the tests: they wrote more than"  # how ``describe`` begins


def used_bytes(folder: Path) -> int:
    """Bytes allocated to the files under ``folder`` (symlinks not followed)."""
    total = 0
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_blocks * 512
            except OSError:
                continue
    return total


class DiskWatch:
    """``over()`` turns true once ``folder`` grew by more than ``allowance`` bytes."""

    def __init__(self, folder: Path, allowance: int) -> None:
        self.folder = folder
        self.allowance = allowance
        self._start = used_bytes(folder)
        self._checked = time.monotonic()

    def over(self) -> bool:
        """Measured at most once per ``CHECK_EVERY_S``; cheap to call on every tick."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY_S:
            return False
        self._checked = now
        return used_bytes(self.folder) - self._start > self.allowance

    def describe(self) -> str:
        return f"{STOPPED} {self.allowance // 2**20} MB into their copy of the project"
