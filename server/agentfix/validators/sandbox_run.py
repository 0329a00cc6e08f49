"""Running one command in the sandbox, and leaving no process of it behind.

The launcher (``launcher.py``) starts the command under its limits, as a subreaper of
everything it starts; we poll it (about every 50 ms) for the end, the time limit, a cancel
and a copy grown too large, and stop it by its process group, then by its cgroup: a
process that left the group or daemonised dies too. Output is read on a thread, capped.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.validators.cgroups import make_groups, remove_group
from agentfix.validators.disk_watch import DiskWatch
from agentfix.validators.launcher import kill_pids
from agentfix.validators.sandbox import Isolation, Mount
from agentfix.validators.sandbox_limits import FILE_SIZE_LIMIT, Limits, rlimits

LAUNCHER = str(Path(__file__).with_name("launcher.py"))
OUTPUT_CAP = 256 * 1024


@dataclass(frozen=True)
class RunResult:
    returncode: int | None
    output: str
    seconds: float
    timed_out: bool = False
    cancelled: bool = False
    overflowed: str = ""  # why the run was stopped for writing too much (see disk_watch)


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
    argv = isolation.wrap(["/bin/sh", "-c", command], cwd, writable, limits, mounts, needs)
    groups = make_groups(limits.max_processes, limits.memory_mb * 1024 * 1024)
    cgroup = groups[0] if groups else None  # any of them lists every process of the run
    spec = {
        "argv": argv,
        "parent": os.getpid(),
        "cgroups": [str(g) for g in groups],
        "limits": rlimits(limits, timeout),
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


def _output_reader(stream: object, sink: list[bytes]) -> None:
    size = 0
    for chunk in iter(lambda: stream.read1(65536), b""):  # type: ignore[attr-defined]
        if size < OUTPUT_CAP:
            sink.append(chunk[: OUTPUT_CAP - size])
        size += len(chunk)
    if size > OUTPUT_CAP:
        sink.append(f"\n[agentfix: output truncated, {size} bytes in all]\n".encode())


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
