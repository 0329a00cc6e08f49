"""Running untrusted test commands: which isolation this machine allows, and what it is.

Layers, each used where this machine allows it, and reported in ``Isolation.describe``:

* bubblewrap (``bwrap``): the whole filesystem read-only except the candidate's workspace,
  with private empty ``/tmp``, ``/run``, ``$XDG_RUNTIME_DIR`` and home (no UNIX socket of
  the user's services is reachable, see ``sandbox_view``), no network
  (``--unshare-net``), its own PID namespace (``--unshare-pid``) whose processes all die
  with it (``--die-with-parent``);
* cgroups (``cgroups``) capping the whole run's processes (the fork-bomb guard that works
  for root, where RLIMIT_NPROC is not enforced) and its memory, all processes together;
* resource limits: address space, file size, CPU seconds, open files, processes
  (``sandbox_limits``);
* a scrubbed environment (no API keys or tokens leak into tests);
* the launcher (``launcher.py``): a child subreaper that kills every descendant at the end.

How one command runs inside all of that: ``sandbox_run``.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agentfix.validators.cgroups import memory_root, pids_root
from agentfix.validators.sandbox_limits import FILE_SIZE_LIMIT, Limits
from agentfix.validators.sandbox_view import exposed, hidden_places, tmpfs_size, view_args


@cache
def bwrap_works() -> str | None:
    """Path of a working bwrap (it can need user namespaces the machine may forbid)."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        probe = subprocess.run(
            [path, *_bwrap_base(), "--", "/bin/true"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 else None


def _bwrap_base() -> list[str]:
    return [
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",  # as root, bwrap keeps capabilities: remounting / would escape
    ]  # fmt: skip


@dataclass(frozen=True)
class Mount:
    """A bind mount inside bwrap: ``source`` (outside) shown at ``dest`` (inside)."""

    source: Path
    dest: Path
    writable: bool = False

    def args(self) -> list[str]:
        return ["--bind" if self.writable else "--ro-bind", str(self.source), str(self.dest)]


@dataclass(frozen=True)
class Isolation:
    """What protects a test run on this machine."""

    bwrap: str | None
    cgroup_root: Path | None

    @property
    def protects_links(self) -> bool:
        """Hard-linked files can be mounted read-only only inside bwrap."""
        return self.bwrap is not None

    def describe(self) -> str:
        parts = [
            "bwrap: no network, own PID namespace, read-only filesystem outside the copy, "
            "private /tmp, /run and home"
            if self.bwrap
            else "no bwrap: network NOT isolated and candidates can write wherever you can "
            "(install bubblewrap)",
            "pids cgroup" if self.cgroup_root else "no pids cgroup",
            "memory cgroup for the whole run" if memory_root() else "no memory cgroup",
            "rlimits: memory, file size, CPU, processes",
        ]
        return "; ".join(parts)

    def wrap(
        self,
        argv: list[str],
        cwd: Path,
        writable: Path,
        limits: Limits,
        mounts: Sequence[Mount] = (),
        needs: Sequence[Path] = (),
    ) -> list[str]:
        """``argv`` run inside bwrap (as it is without): only ``writable`` writable, then
        ``mounts`` in order, ``needs`` shown read-only in the hidden places, in ``cwd``."""
        if not self.bwrap:
            return argv
        # the private tmpfs are charged to the run's memory cgroup too
        binds = [arg for m in mounts for arg in m.args()]
        hidden = hidden_places()
        return [
            self.bwrap,
            *_bwrap_base(),
            *view_args(hidden, exposed(tuple(needs), hidden),
                       tmpfs_size(self.bwrap, FILE_SIZE_LIMIT, limits.memory_mb)),
            "--bind", str(writable), str(writable),
            *binds,
            "--chdir", str(cwd),
            "--",
            *argv,
        ]  # fmt: skip


def isolation_for(mode: str) -> Isolation:
    if mode == "none":
        return Isolation(None, pids_root())
    path = bwrap_works()
    if mode == "bwrap" and path is None:
        from agentfix.errors import ConfigError

        raise ConfigError(
            "sandbox = 'bwrap' but bubblewrap does not work here: install it "
            "(`apt-get install bubblewrap`) or set agentfix.sandbox to 'auto'."
        )
    return Isolation(path, pids_root())
