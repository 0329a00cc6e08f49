"""Throwaway copies of the user's project, one per candidate, so tests never touch real files.

The file list is taken once per fix (``Snapshot``); each candidate then gets its own copy.
VCS folders, virtual environments and caches are skipped. Files of ``LINK_MIN_BYTES`` or
more are hard-linked instead of copied *only* when the sandbox mounts them read-only
(``Sandbox.protects_links``), because a write through a hard link would change the user's
file; everything else is a real copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".hypothesis",
        "node_modules",
        ".eggs",
        ".idea",
    }
)
LINK_MIN_BYTES = 256 * 1024
MAX_FILES = 50_000


@dataclass(frozen=True)
class Snapshot:
    """The project's files (relative paths and sizes), listed once per fix."""

    root: Path
    files: tuple[tuple[str, int], ...]
    dirs: tuple[str, ...]
    list_seconds: float

    @classmethod
    def take(cls, root: Path) -> Snapshot:
        start = time.monotonic()
        files: list[tuple[str, int]] = []
        dirs: list[str] = []
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                rel = os.path.relpath(entry.path, root)
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in SKIP_DIRS or entry.name.endswith(".egg-info"):
                        continue
                    if os.path.exists(os.path.join(entry.path, "pyvenv.cfg")):
                        continue  # a virtual environment under another name
                    dirs.append(rel)
                    stack.append(Path(entry.path))
                elif entry.is_file():  # follows symlinks to files: their content is copied
                    try:
                        files.append((rel, entry.stat().st_size))
                    except OSError:
                        continue
                if len(files) > MAX_FILES:
                    raise OSError(
                        f"{root} has more than {MAX_FILES} files outside VCS, venv and cache "
                        "folders; open the project folder itself, not a parent of it."
                    )
        return cls(root, tuple(files), tuple(dirs), time.monotonic() - start)


@dataclass
class Workspace:
    """One candidate's private copy: ``project`` is the copied root, ``tmp``/``home`` scratch."""

    base: Path
    project: Path
    tmp: Path
    home: Path
    linked: list[Path] = field(default_factory=list)
    copy_seconds: float = 0.0

    def cleanup(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


def materialize(snapshot: Snapshot, link_large: bool, parent: str | None = None) -> Workspace:
    """Copy the snapshot into a fresh temporary folder."""
    start = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="agentfix-", dir=parent))
    project = base / "project"
    ws = Workspace(base, project, base / "tmp", base / "home")
    for folder in (project, ws.tmp, ws.home):
        folder.mkdir()
    try:
        for rel in snapshot.dirs:
            (project / rel).mkdir(parents=True, exist_ok=True)
        for rel, size in snapshot.files:
            src = snapshot.root / rel
            dst = project / rel
            try:
                if link_large and size >= LINK_MIN_BYTES and not src.is_symlink():
                    os.link(src, dst)
                    ws.linked.append(dst)
                else:
                    shutil.copyfile(src, dst)
                    shutil.copymode(src, dst)
            except OSError:
                continue  # unreadable or vanished file: the copy simply lacks it
    except BaseException:
        ws.cleanup()
        raise
    ws.copy_seconds = time.monotonic() - start
    return ws


def write_candidate(ws: Workspace, rel_path: str, text: str) -> None:
    """Write the candidate's text into the copy (never a link: always a fresh file)."""
    dst = ws.project / rel_path
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists() or dst.is_symlink():
        dst.unlink()
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
