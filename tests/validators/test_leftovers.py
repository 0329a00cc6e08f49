"""No temporary folder is left behind, and no file silently missing from a copy."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agentfix.validators import workspace
from agentfix.validators.leftovers import sweep
from agentfix.validators.workspace import LINK_MIN_BYTES, Snapshot, materialize


def test_a_large_file_on_another_filesystem_is_copied_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    data = os.urandom(LINK_MIN_BYTES + 1)
    (project / "big.bin").write_bytes(data)

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(workspace.os, "link", cross_device)
    ws = materialize(Snapshot.take(project), link_large=True, parent=str(tmp_path))
    try:
        assert (ws.project / "big.bin").read_bytes() == data
        assert ws.linked == []
    finally:
        ws.cleanup()


def test_cleanup_removes_a_folder_the_candidate_made_unreadable(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "mod.py").write_text("X = 1\n")
    ws = materialize(Snapshot.take(project), link_large=False, parent=str(tmp_path))
    locked = ws.project / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "f.txt").write_text("x")
    os.chmod(locked / "inner", 0)
    os.chmod(locked, 0)
    ws.cleanup()
    assert not ws.base.exists()


def test_workspaces_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f"agentfix-{dead.stdout.strip()}-abc"
    (stale / "project" / "locked").mkdir(parents=True)
    os.chmod(stale / "project" / "locked", 0)
    mine = tmp_path / f"agentfix-{os.getpid()}-def"
    mine.mkdir()
    alive = tmp_path / f"agentfix-{os.getppid()}-ghi"
    alive.mkdir()
    other = tmp_path / "agentfix-demo-keep"
    other.mkdir()
    recent = tmp_path / f"agentfix-{dead.stdout.strip()}-recent"  # maybe another namespace's
    recent.mkdir()
    two_hours_ago = time.time() - 7200
    for folder in (stale, mine, alive):
        os.utime(folder, (two_hours_ago, two_hours_ago))
    assert sweep(str(tmp_path)) == [stale]
    assert not stale.exists()
    assert mine.exists() and alive.exists() and other.exists() and recent.exists()
