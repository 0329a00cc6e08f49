"""What a test run sees inside bubblewrap: the system read-only, and none of the user's
services.

A read-only view of ``/`` does not stop ``connect()`` to a UNIX socket: through the
user's tmux server, ssh-agent, Docker, D-Bus or X11 a candidate could run commands on the
host. Those sockets live in a few places — ``/tmp``, ``/var/tmp``, ``/run`` (and
``/var/run``), ``$XDG_RUNTIME_DIR``, the user's home — so each gets an empty private
tmpfs (``/dev`` is bwrap's own, with a private ``/dev/shm``). What the tests need from
those places comes back read-only: the interpreter, its standard library and every
``sys.path`` entry of its environment and what its packages link to (a pyenv Python
lives in the home); the copy and
the project's own folders are mounted on top by the caller.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

SOCKET_PLACES = ("/tmp", "/var/tmp", "/run", "/var/run")
PROBE = (
    "import json, sys; "
    "print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix, sys.executable, *sys.path]))"
)


def hidden_places(environ: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Folders replaced by an empty tmpfs: real directories, outermost first, no repeats."""
    env = os.environ if environ is None else environ
    places = list(SOCKET_PLACES)
    places += [env.get("XDG_RUNTIME_DIR", ""), env.get("HOME", "")]
    try:
        places.append(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    found: list[Path] = []
    for place in places:
        if not place or not os.path.isabs(place):
            continue
        path = Path(os.path.realpath(place))
        if path == Path("/") or not path.is_dir():
            continue
        if any(path.is_relative_to(p) for p in found):
            continue
        found = [p for p in found if not p.is_relative_to(path)] + [path]
    return tuple(sorted(found, key=lambda p: len(p.parts)))


@lru_cache(maxsize=16)
def interpreter_paths(python: str) -> tuple[Path, ...]:
    """The folders ``python`` runs from and imports from (its prefixes and ``sys.path``,
    ``.pth`` entries included), resolved; a guess from its own path when it cannot run."""
    try:
        proc = subprocess.run(
            [python, "-I", "-c", PROBE], capture_output=True, text=True, timeout=30, check=False
        )
        entries = [str(p) for p in json.loads(proc.stdout)] if proc.returncode == 0 else []
    except (OSError, ValueError, subprocess.SubprocessError):
        entries = []
    binary = Path(python)
    entries += [str(binary.parent.parent), os.path.realpath(binary)]
    entries += _link_targets(entries)
    paths: set[Path] = set()
    for entry in entries:
        if not entry or not os.path.isabs(entry):
            continue
        for form in (Path(entry), Path(os.path.realpath(entry))):
            path = form if form.is_dir() else form.parent
            if path.exists():
                paths.add(path)
    return tuple(sorted(paths))


def _link_targets(folders: list[str]) -> list[str]:
    """Where packages symlinked into an import folder live (uv's symlink mode, a venv that
    links another's packages): they must be visible too."""
    found = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        found += [os.path.realpath(e.path) for e in entries if e.is_symlink()]
    return found


def exposed(paths: tuple[Path, ...], hidden: tuple[Path, ...]) -> tuple[Path, ...]:
    """The ``paths`` inside a hidden place, outermost only: shown again read-only."""
    inside = sorted(
        {p for p in paths if any(p.is_relative_to(h) and p != h for h in hidden)},
        key=lambda p: len(p.parts),
    )
    kept: list[Path] = []
    for path in inside:
        if not any(path.is_relative_to(k) for k in kept):
            kept.append(path)
    return tuple(kept)


@cache
def _sizes_tmpfs(bwrap: str) -> bool:
    """Whether this bwrap can give a tmpfs a size (``--size``, bubblewrap 0.5 and later)."""
    try:
        usage = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "--size" in usage.stdout + usage.stderr


def tmpfs_size(bwrap: str, file_limit: int, memory_mb: int) -> int | None:
    """Bytes each private tmpfs may hold: what one file may, within the run's memory (its
    pages are charged there too); None where bwrap cannot size a tmpfs."""
    return min(file_limit, memory_mb * 2**20) if _sizes_tmpfs(bwrap) else None


def view_args(
    hidden: tuple[Path, ...], shown: tuple[Path, ...], size: int | None = None
) -> list[str]:
    """bwrap arguments: a tmpfs (of at most ``size`` bytes) over each hidden place, then
    the shown paths read-only."""
    args: list[str] = []
    for place in hidden:
        args += [*(["--size", str(size)] if size else []), "--tmpfs", str(place)]
    for path in shown:
        args += ["--ro-bind", str(path), str(path)]
    return args
