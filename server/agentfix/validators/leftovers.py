"""Temporary folders of runs that died: found by the pid in their name, removed later.

A killed CLI or server (SIGKILL, a closed terminal) cannot clean up after itself, and a
candidate may ``chmod 000`` a folder in its copy. Each workspace is named
``agentfix-<pid>-…``; the first workspace a process makes sweeps those whose process is
gone and that are older than an hour (a process in another PID namespace sharing the temp
dir looks dead from here), and removal makes unreadable folders readable first.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

NAME = re.compile(r"^agentfix-(\d+)-")
MIN_AGE_S = 3600.0
_swept: set[str] = set()
_lock = threading.Lock()


def prefix() -> str:
    return f"agentfix-{os.getpid()}-"


def remove_tree(path: Path) -> None:
    """``rm -rf``, also through folders the candidate made unreadable."""

    def retry(function, name, _exc_info):  # type: ignore[no-untyped-def]
        try:
            parent = os.path.dirname(name)
            os.chmod(parent, stat.S_IRWXU)
            if os.path.isdir(name) and not os.path.islink(name):
                os.chmod(name, stat.S_IRWXU)
                shutil.rmtree(name, ignore_errors=True)
            else:
                function(name)
        except OSError:
            pass

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry)
    else:
        shutil.rmtree(path, onerror=retry)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def sweep(parent: str | None = None) -> list[Path]:
    """Remove the workspaces of dead processes in ``parent`` (the temp dir); once each."""
    folder = parent or tempfile.gettempdir()
    with _lock:
        if folder in _swept:
            return []
        _swept.add(folder)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = NAME.match(entry.name)
        if not found or int(found.group(1)) == os.getpid() or _alive(int(found.group(1))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            old = time.time() - info.st_mtime > MIN_AGE_S
            if entry.is_dir(follow_symlinks=False) and info.st_uid == os.getuid() and old:
                remove_tree(Path(entry.path))
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed
