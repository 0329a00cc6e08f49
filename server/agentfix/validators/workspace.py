"""Throwaway copies of the user's project, one per candidate, so tests never touch real files.

The file list is taken once per fix (``Snapshot``); each candidate then gets its own copy.
In a git work tree what ``.gitignore`` ignores is left out (``git_files``); VCS folders, virtual
environments and caches are always skipped. Files of ``LINK_MIN_BYTES`` or
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
from stat import S_ISREG

from agentfix.errors import NoSpace, disk_full
from agentfix.validators.git_files import GitListing, git_listing
from agentfix.validators.leftovers import prefix, remove_tree, sweep

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
    listed_by: str = "walk"  # "git" (ls-files, .gitignore honoured) or "walk"
    links: tuple[tuple[str, str], ...] = ()  # (a listed symlink, the real file it names)

    def same_file(self, rel: str) -> tuple[str, ...]:
        """Every listed path that is ``rel``'s file, ``rel`` first: the copy holds a symlinked
        file as its own copy, so a candidate must be written to each path tests may import
        it by (``pkg/mod.py`` linking to ``pkg/_impl.py``: both)."""
        real = os.path.realpath(self.root / rel)
        listed = {name for name, _ in self.files}
        others = [name for name, target in self.links if target == real and name != rel]
        inside = os.path.relpath(real, self.root)
        if inside != rel and not inside.startswith("..") and inside in listed:
            others.append(inside)
        return (rel, *sorted(set(others)))

    @classmethod
    def take(cls, root: Path) -> Snapshot:
        """In a git work tree, what git lists (``.gitignore`` honoured, see ``git_files``);
        elsewhere, or without git, every file outside VCS, venv and cache folders."""
        start = time.monotonic()
        files: list[tuple[str, int]] = []
        dirs: set[str] = set()
        listing = git_listing(root)
        if listing is None:
            _walk(root, root, files, dirs)
        else:
            _add_listed(root, listing, files, dirs)
        by = "walk" if listing is None else "git"
        links = tuple(
            (rel, os.path.realpath(root / rel)) for rel, _ in files if os.path.islink(root / rel)
        )
        return cls(root, tuple(files), tuple(sorted(dirs)), time.monotonic() - start, by, links)


def _walk(root: Path, top: Path, files: list[tuple[str, int]], dirs: set[str]) -> None:
    """Every file under ``top`` outside skipped folders, relative to ``root``."""
    stack = [top]
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
                dirs.add(rel)
                stack.append(Path(entry.path))
            elif entry.is_file():  # follows symlinks to files: their content is copied
                try:
                    files.append((rel, entry.stat().st_size))
                except OSError:
                    continue
            _check_count(root, files)


def _add_listed(
    root: Path, listing: GitListing, files: list[tuple[str, int]], dirs: set[str]
) -> None:
    """git's list with the same skip rules as the walk; a file git tracks but the work
    tree lost (deleted, not yet committed) is simply not there."""
    venvs: dict[str, bool] = {}
    for rel in listing.files:
        parts = rel.split("/")
        if _skipped(root, parts[:-1], venvs):
            continue
        try:
            stat = os.stat(root / rel)  # follows symlinks to files: their content is copied
        except OSError:
            continue
        if not S_ISREG(stat.st_mode):
            continue
        files.append((os.path.join(*parts), stat.st_size))
        dirs.update(os.path.join(*parts[:n]) for n in range(1, len(parts)))
        _check_count(root, files)
    for rel in listing.folders:
        parts = rel.split("/")
        if not _skipped(root, parts, venvs):
            dirs.update(os.path.join(*parts[:n]) for n in range(1, len(parts) + 1))
            _walk(root, root / rel, files, dirs)


def _skipped(root: Path, folders: list[str], venvs: dict[str, bool]) -> bool:
    """A path under a VCS, venv, cache or egg-info folder (the walk's rules)."""
    for n, name in enumerate(folders, 1):
        if name in SKIP_DIRS or name.endswith(".egg-info"):
            return True
        rel = "/".join(folders[:n])
        if rel not in venvs:
            venvs[rel] = (root / rel / "pyvenv.cfg").exists()
        if venvs[rel]:
            return True
    return False


def _check_count(root: Path, files: list[tuple[str, int]]) -> None:
    if len(files) > MAX_FILES:
        raise OSError(
            f"{root} has more than {MAX_FILES} files outside VCS, venv and cache "
            "folders; open the project folder itself, not a parent of it."
        )


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
        remove_tree(self.base)


def materialize(snapshot: Snapshot, link_large: bool, parent: str | None = None) -> Workspace:
    """Copy the snapshot into a fresh temporary folder."""
    start = time.monotonic()
    sweep(parent)
    base = Path(tempfile.mkdtemp(prefix=prefix(), dir=parent))
    project = base / "project"
    ws = Workspace(base, project, base / "tmp", base / "home")
    try:
        for folder in (project, ws.tmp, ws.home):
            folder.mkdir()
        for rel in snapshot.dirs:
            (project / rel).mkdir(parents=True, exist_ok=True)
        for rel, size in snapshot.files:
            src = snapshot.root / rel
            dst = project / rel
            try:
                if link_large and size >= LINK_MIN_BYTES and not src.is_symlink():
                    try:
                        os.link(src, dst)
                        ws.linked.append(dst)
                        continue
                    except OSError:
                        pass  # another filesystem (EXDEV), or not allowed: copy it
                shutil.copyfile(src, dst)
                shutil.copymode(src, dst)
            except OSError as exc:
                _raise_if_full(exc, base, _copy_of(snapshot))
                continue  # unreadable or vanished file: the copy simply lacks it
    except OSError as exc:
        ws.cleanup()
        _raise_if_full(exc, base, _copy_of(snapshot))
        raise
    except BaseException:
        ws.cleanup()
        raise
    ws.copy_seconds = time.monotonic() - start
    return ws


def _copy_of(snapshot: Snapshot) -> str:
    size = max(1, sum(size for _, size in snapshot.files) // 2**20)
    return f"for a copy of {snapshot.root} to test candidates in ({size} MB)"


def _raise_if_full(exc: OSError, base: Path, what: str) -> None:
    """A full disk is said as such: a copy that silently lacks files tests the wrong thing."""
    if disk_full(exc):
        raise NoSpace(
            f"no space left in {base.parent} {what} — free some space there, or set TMPDIR "
            "to a folder on a larger disk"
        ) from exc


def write_candidate(ws: Workspace, rel_paths: tuple[str, ...], text: str) -> None:
    """Write the candidate's text into the copy at each path of the file (see
    ``Snapshot.same_file``); never through a link: always a fresh file."""
    for rel_path in rel_paths:
        dst = ws.project / rel_path
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists() or dst.is_symlink():
            dst.unlink()
        try:
            with open(dst, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            _raise_if_full(exc, ws.base, "to write a candidate")
            raise
