"""Running untrusted test commands: limits, isolation, and no process left behind.

Layers, each used where this machine allows it, and reported in ``Isolation.describe``:

* bubblewrap (``bwrap``): the whole filesystem read-only except the candidate's workspace,
  with private empty ``/tmp``, ``/run``, ``$XDG_RUNTIME_DIR`` and home (no UNIX socket of
  the user's services is reachable, see ``sandbox_view``), no network
  (``--unshare-net``), its own PID namespace (``--unshare-pid``) whose processes all die
  with it (``--die-with-parent``);
* cgroups (``cgroups``) capping the whole run's processes (the fork-bomb guard that works
  for root, where RLIMIT_NPROC is not enforced) and its memory, all processes together;
* resource limits: address space, file size, CPU seconds, open files, processes;
* a scrubbed environment (no API keys or tokens leak into tests);
* the launcher (``launcher.py``): a child subreaper that kills every descendant at the end.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.validators.cgroups import make_groups, memory_root, pids_root, remove_group
from agentfix.validators.disk_watch import DiskWatch
from agentfix.validators.launcher import kill_pids
from agentfix.validators.sandbox_view import exposed, hidden_places, tmpfs_size, view_args

LAUNCHER = str(Path(__file__).with_name("launcher.py"))
OUTPUT_CAP = 256 * 1024
FILE_SIZE_LIMIT = 256 * 1024 * 1024


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


@dataclass(frozen=True)
class Mount:
    """A bind mount inside bwrap: ``source`` (outside) shown at ``dest`` (inside)."""

    source: Path
    dest: Path
    writable: bool = False

    def args(self) -> list[str]:
        return ["--bind" if self.writable else "--ro-bind", str(self.source), str(self.dest)]


@dataclass(frozen=True)
class RunResult:
    returncode: int | None
    output: str
    seconds: float
    timed_out: bool = False
    cancelled: bool = False
    overflowed: str = ""  # why the run was stopped for writing too much (see disk_watch)


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 4096
    max_processes: int = 256
    cpu_seconds: int = 600


def _output_reader(stream: object, sink: list[bytes]) -> None:
    size = 0
    for chunk in iter(lambda: stream.read1(65536), b""):  # type: ignore[attr-defined]
        if size < OUTPUT_CAP:
            sink.append(chunk[: OUTPUT_CAP - size])
        size += len(chunk)
    if size > OUTPUT_CAP:
        sink.append(f"\n[agentfix: output truncated, {size} bytes in all]\n".encode())


def _kill_cgroup(cgroup: Path) -> None:
    for _ in range(50):
        try:
            pids = [int(p) for p in (cgroup / "cgroup.procs").read_text().split()]
        except (OSError, ValueError):
            return
        if not pids:
            return
        kill_pids(pids)
        time.sleep(0.02)


def run_sandboxed(
    command: str,
    cwd: Path,
    writable: Path,
    env: dict[str, str],
    timeout: float,
    token: CancelToken,
    isolation: Isolation,
    limits: Limits,
    mounts: Sequence[Mount] = (),
    on_tick: Callable[[], None] | None = None,
    needs: Sequence[Path] = (),
) -> RunResult:
    """Run ``command`` with ``sh -c`` in ``cwd``; only ``writable`` may be written.

    Inside bwrap the places where sockets live are private and empty, except ``needs``
    (the interpreter's folders), shown read-only; ``mounts`` are applied in order after
    ``writable`` (a copy shown at the project's real path, the project's own environment
    read-only beside it); ``cwd`` is a path as seen inside. ``on_tick`` is called about
    every 50 ms while the command runs.
    """
    argv = ["/bin/sh", "-c", command]
    if isolation.bwrap:  # the private tmpfs are charged to the run's memory cgroup too
        binds = [arg for m in mounts for arg in m.args()]
        hidden = hidden_places()
        argv = [
            isolation.bwrap,
            *_bwrap_base(),
            *view_args(hidden, exposed(tuple(needs), hidden),
                       tmpfs_size(isolation.bwrap, FILE_SIZE_LIMIT, limits.memory_mb)),
            "--bind", str(writable), str(writable),
            *binds,
            "--chdir", str(cwd),
            "--",
            *argv,
        ]  # fmt: skip
    groups = make_groups(limits.max_processes, limits.memory_mb * 1024 * 1024)
    cgroup = groups[0] if groups else None  # any of them lists every process of the run
    spec = {
        "argv": argv,
        "parent": os.getpid(),
        "cgroups": [str(g) for g in groups],
        "limits": {
            "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
            "RLIMIT_FSIZE": FILE_SIZE_LIMIT,
            "RLIMIT_CORE": 0,
            "RLIMIT_CPU": max(1, int(min(timeout, limits.cpu_seconds)) + 5),
            "RLIMIT_NOFILE": 1024,
            "RLIMIT_NPROC": _nproc_limit(limits.max_processes),
        },
    }
    start = time.monotonic()
    chunks: list[bytes] = []
    disk = DiskWatch(writable, FILE_SIZE_LIMIT)  # the copy: files add up past RLIMIT_FSIZE
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", LAUNCHER, json.dumps(spec)],
        cwd=cwd if not isolation.bwrap else writable,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    reader = threading.Thread(target=_output_reader, args=(proc.stdout, chunks), daemon=True)
    reader.start()
    timed_out = cancelled = False
    overflowed = ""
    try:
        while True:
            try:
                proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            if on_tick is not None:
                on_tick()
            if time.monotonic() - start > timeout:
                timed_out = True
            elif token.stopped:
                cancelled = True
            elif disk.over():
                overflowed = disk.describe()
            if timed_out or cancelled or overflowed:
                _stop(proc, cgroup)
                break
    finally:
        if proc.poll() is None:
            _stop(proc, cgroup)
        if cgroup is not None:
            _kill_cgroup(cgroup)
        for group in groups:
            remove_group(group)
        reader.join(timeout=5)
        if proc.stdout:
            proc.stdout.close()
    output = b"".join(chunks).decode("utf-8", "replace") + (
        f"\n{overflowed}\n" if overflowed else ""
    )
    seconds = time.monotonic() - start
    return RunResult(proc.returncode, output, seconds, timed_out, cancelled, overflowed)


def _stop(proc: subprocess.Popen[bytes], cgroup: Path | None) -> None:
    """SIGTERM the launcher's group (it kills its descendants), then SIGKILL what is left."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except OSError:
        pass
    try:
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    if cgroup is not None:
        _kill_cgroup(cgroup)
    proc.wait()


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
