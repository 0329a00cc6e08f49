"""The files of a git work tree that a candidate's copy needs, as git lists them.

A project's ``.gitignore`` names what is generated, downloaded or built: sqlglot's copy was
84 MB per candidate, 70 MB of it generated documentation. So in a git work tree the copy
takes what ``git ls-files`` lists (tracked, and untracked but not ignored), plus the
ignored files Python imports that lie outside ignored folders: a generated ``_version.py``
or an extension module built in place (``pkg/_speedups.so``) is ignored by git, yet the
tests cannot import the package without it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

IMPORTABLE = (".py", ".pyi", ".so", ".pyd")
TIMEOUT = 30.0


@dataclass(frozen=True)
class GitListing:
    """Paths relative to the root: files, and folders git does not list into (submodules,
    nested repositories), which the caller walks itself."""

    files: tuple[str, ...]
    folders: tuple[str, ...]


def git_listing(root: Path) -> GitListing | None:
    """What git lists under ``root``; None when it is not a git work tree or git fails."""
    listed = _ls_files(root, "--cached", "--others", "--exclude-standard")
    if not listed:
        return None  # not a work tree, or all of it ignored (a project in a build folder)
    ignored = _ls_files(root, "--others", "--ignored", "--exclude-standard", "--directory")
    kept = [p for p in ignored or [] if not p.endswith("/") and p.endswith(IMPORTABLE)]
    files: list[str] = []
    folders: list[str] = []
    seen: set[str] = set()
    for rel in [*listed, *kept]:
        if rel in seen:  # a file deleted in the work tree is listed twice (cached, deleted)
            continue
        seen.add(rel)
        if rel.endswith("/"):
            folders.append(rel.rstrip("/"))  # an untracked nested repository
        elif (root / rel).is_dir() and not (root / rel).is_symlink():
            folders.append(rel)  # a submodule: git lists the folder, not its files
        else:
            files.append(rel)
    return GitListing(tuple(files), tuple(folders))


def _ls_files(root: Path, *options: str) -> list[str] | None:
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", *options],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or it hangs: the caller walks the folder instead
    if proc.returncode != 0:
        return None
    try:
        text = proc.stdout.decode("utf-8")
    except UnicodeDecodeError:
        text = proc.stdout.decode("utf-8", "surrogateescape")
    return [p for p in text.split("\0") if p]
