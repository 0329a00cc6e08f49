"""The real sandbox against hostile candidate code: loops, fork bombs, huge allocations,
writes outside the copy, daemons, network, cancellation and secrets in the environment.

Every test builds a small project in ``tmp_path`` (``mod.py`` plus ``test_mod.py``, whose
only test calls ``mod.main()``), hands a hostile ``mod.py`` to ``TestRunner.run`` and checks
what the sandbox promises. Processes the candidate starts carry a unique marker in their
command line, so the tests can look for leftovers in ``/proc`` afterwards (and kill, by pid,
any they find so that a failing test leaves nothing behind either).

Tests that take ``isolation`` run twice: with ``isolation_for("auto")`` (bwrap when it
works) and with ``isolation_for("none")`` (launcher, rlimits and pids cgroup only), since
both are what users get. Guarantees that only bubblewrap gives are skipped without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentfix.cancel import CancelToken
from agentfix.validators.sandbox import Isolation, bwrap_works, isolation_for
from agentfix.validators.sandbox_limits import Limits
from agentfix.validators.sandbox_view import hidden_places
from agentfix.validators.tests import TestRunner as Runner  # not collected as a test class
from agentfix.validators.verdict import Check
from agentfix.validators.workspace import LINK_MIN_BYTES, Snapshot

COMMAND = "python -m pytest -q -p no:cacheprovider"
ORIGINAL = '"""The user\'s module."""\n\n\ndef main() -> None:\n    return None\n'
TEST_FILE = "import mod\n\n\ndef test_candidate():\n    mod.main()\n"
PYPROJECT = "[tool.pytest.ini_options]\naddopts = ''\n"

NEEDS_BWRAP = pytest.mark.skipif(
    bwrap_works() is None,
    reason="bubblewrap (bwrap) is missing or cannot create namespaces on this machine: "
    "this guarantee exists only inside bwrap",
)


# --------------------------------------------------------------------------------- helpers


def render(template: str, **values: object) -> str:
    """Candidate source: ``__NAME__`` placeholders replaced by ``repr(value)``."""
    for name, value in values.items():
        template = template.replace(f"__{name}__", repr(value))
    return template


def write_project(root: Path, extra: dict[str, bytes] | None = None) -> Path:
    project = root / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "mod.py").write_text(ORIGINAL)
    (project / "test_mod.py").write_text(TEST_FILE)
    for rel, data in (extra or {}).items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return project


def runner_for(
    project: Path, isolation: Isolation, timeout: float = 60.0, limits: Limits | None = None
) -> Runner:
    return Runner(
        command=COMMAND,
        snapshot=Snapshot.take(project),
        rel_path="mod.py",
        python=sys.executable,
        timeout=timeout,
        isolation=isolation,
        limits=limits or Limits(),
    )


def timed_run(runner: Runner, source: str, token: CancelToken | None = None) -> tuple[Check, float]:
    start = time.monotonic()
    check = runner.run(source, token or CancelToken())
    return check, time.monotonic() - start


def marked_processes(marker: str) -> list[int]:
    """Live processes (zombies have no command line) whose command line holds ``marker``."""
    needle = marker.encode()
    found: list[int] = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                if needle in fh.read():
                    found.append(int(name))
        except OSError:
            continue
    return found


def tree_digest(root: Path) -> dict[str, str]:
    """Every path under ``root`` with its kind, mode and (for files) a SHA-256 of the bytes."""
    digest: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        mode = oct(path.lstat().st_mode)
        if path.is_symlink():
            digest[rel] = f"link {mode} {os.readlink(path)}"
        elif path.is_dir():
            digest[rel] = f"dir {mode}"
        else:
            digest[rel] = f"file {mode} {hashlib.sha256(path.read_bytes()).hexdigest()}"
    return digest


def escape_target() -> Path:
    """A path outside any copy, in a folder the sandbox shows read-only (not one of the
    places it makes private, like /tmp), that no sandboxed test may create."""
    hidden = hidden_places()
    for folder in (Path(__file__).resolve().parent, Path("/var/lib"), Path("/opt")):
        if os.access(folder, os.W_OK) and not any(folder.is_relative_to(h) for h in hidden):
            return folder / f".agentfix-escape-{uuid.uuid4().hex}"
    pytest.fail(f"no writable folder outside {hidden} to try an escape to")


@pytest.fixture(params=["auto", "none"])
def isolation(request: pytest.FixtureRequest) -> Isolation:
    return isolation_for(request.param)


@pytest.fixture
def marker() -> Iterator[str]:
    """A unique string for the candidate's processes; any survivor is killed (by pid) after."""
    value = f"AGENTFIX-SANDBOX-TEST-{uuid.uuid4().hex}"
    yield value
    for pid in marked_processes(value):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# ----------------------------------------------------------------------------------- tests

ENDLESS_LOOP = """\
import subprocess
import sys


def main():
    subprocess.Popen([sys.executable, "-S", "-c", "import time; time.sleep(60)", __MARKER__])
    while True:
        pass
"""


def test_endless_loop_is_stopped_at_the_time_limit(
    tmp_path: Path, isolation: Isolation, marker: str
) -> None:
    runner = runner_for(write_project(tmp_path), isolation, timeout=3.0)
    check, wall = timed_run(runner, render(ENDLESS_LOOP, MARKER=marker))
    assert check.status == "fail", check.output
    assert check.details.get("timed_out") is True
    assert "timed out" in check.summary
    assert wall < 10.0
    assert marked_processes(marker) == []


FORK_BOMB = """\
import os
import sys

MARKER = __MARKER__
SAFETY_CAP = 300  # stops the loop even on a machine without any process limit
LIMIT = __LIMIT__


def main():
    created = 0
    error = None
    for _ in range(SAFETY_CAP):
        try:
            pid = os.fork()
        except OSError as exc:
            error = exc
            break
        if pid == 0:
            try:
                argv = [sys.executable, "-S", "-c", "import time; time.sleep(60)", MARKER]
                os.execv(sys.executable, argv)
            finally:
                os._exit(127)
        created += 1
    assert error is not None and created <= LIMIT, f"created={created} error={error!r}"
"""


def test_fork_bomb_is_capped_and_leaves_no_process(
    tmp_path: Path, isolation: Isolation, marker: str
) -> None:
    limits = Limits(max_processes=64)
    runner = runner_for(write_project(tmp_path), isolation, timeout=60.0, limits=limits)
    check, wall = timed_run(runner, render(FORK_BOMB, MARKER=marker, LIMIT=limits.max_processes))
    # Root ignores RLIMIT_NPROC: then only the pids cgroup caps the number of processes.
    if isolation.cgroup_root is not None or os.getuid() != 0:
        assert check.status == "pass", check.output  # fork() failed before 64 processes
    assert not check.details.get("timed_out"), check.output
    assert wall < 60.0
    assert marked_processes(marker) == []


def test_huge_allocation_fails_with_memory_error(tmp_path: Path, isolation: Isolation) -> None:
    source = "def main():\n    data = bytearray(10 * 1024**3)\n    return len(data)\n"
    check, wall = timed_run(runner_for(write_project(tmp_path), isolation), source)
    assert check.status == "fail"
    assert "MemoryError" in check.output
    assert check.details.get("failed") == 1
    assert check.details.get("exit") == 1  # pytest's "tests failed", not killed by the OOM killer
    assert wall < 30.0


INSIDE_WRITES = """\
import os
import shutil


def main():
    attempts = [
        lambda: open("mod.py", "a").write("# changed\\n"),
        lambda: open("test_mod.py", "w").write(""),
        lambda: open("notes.txt", "w").write("overwritten"),
        lambda: open("data.bin", "r+b").write(b"overwritten"),
        lambda: os.truncate("data.bin", 0),
        lambda: os.chmod("data.bin", 0o777),
        lambda: os.remove("pkg/inner.py"),
        lambda: shutil.rmtree("pkg"),
        lambda: open("new.txt", "w").write("new"),
    ]
    for attempt in attempts:
        try:
            attempt()
        except OSError:
            pass
"""


def test_writes_inside_the_copy_never_reach_the_users_files(
    tmp_path: Path, isolation: Isolation
) -> None:
    large = os.urandom(LINK_MIN_BYTES + 1024)  # hard-linked, not copied, when bwrap works
    project = write_project(
        tmp_path, {"notes.txt": b"notes\n", "data.bin": large, "pkg/inner.py": b"X = 1\n"}
    )
    before = tree_digest(tmp_path)
    check, _ = timed_run(runner_for(project, isolation), INSIDE_WRITES)
    assert check.status == "pass", check.output
    assert tree_digest(tmp_path) == before


OUTSIDE_WRITES = """\
TARGETS = __TARGETS__


def main():
    written = []
    for target in TARGETS:
        try:
            with open(target, "a") as fh:
                fh.write("escaped\\n")
            written.append(target)
        except OSError:
            pass
    assert written == [], f"wrote outside the copy: {written}"
"""


@NEEDS_BWRAP
def test_writes_outside_the_copy_are_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"notes.txt": b"notes\n"})
    outside = escape_target()
    targets = [str(project / "mod.py"), str(project / "notes.txt"), str(project / "new.txt")]
    before = tree_digest(tmp_path)
    runner = runner_for(project, isolation_for("auto"))
    try:
        check, _ = timed_run(runner, render(OUTSIDE_WRITES, TARGETS=[str(outside)]))
        assert check.status == "pass", check.output
        assert not outside.exists()
        # /tmp inside is private: a write there may succeed and never reaches the host's
        private = Path("/tmp") / f"agentfix-escape-{uuid.uuid4().hex}"
        timed_run(runner, render(INSIDE_WRITES.replace('"new.txt"', repr(str(private)))))
        assert not private.exists()
        # inside the sandbox the project's real path is the copy: writes there land in it
        check, _ = timed_run(runner, render(OUTSIDE_WRITES, TARGETS=targets))
        assert "wrote outside the copy" in check.output
        assert tree_digest(tmp_path) == before
    finally:
        outside.unlink(missing_ok=True)


REMOUNT_ESCAPE = """\
import ctypes

MS_REMOUNT = 32
MS_BIND = 4096
MNT_DETACH = 2
TARGETS = __TARGETS__


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount(b"none", b"/", None, MS_REMOUNT | MS_BIND, None)  # "/" read-write again
    libc.umount2(b"data.bin", MNT_DETACH)  # uncovers the hard link to the user's file
    written = []
    for target in TARGETS:
        try:
            with open(target, "ab") as fh:
                fh.write(b"escaped")
            written.append(target)
        except OSError:
            pass
    assert written == [], f"wrote outside the copy: {written}"
"""


@NEEDS_BWRAP
def test_capabilities_cannot_undo_the_read_only_mounts(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"data.bin": os.urandom(LINK_MIN_BYTES + 1024)})
    outside = escape_target()
    targets = [str(project / "mod.py"), "data.bin", str(outside)]
    before = tree_digest(tmp_path)
    try:
        runner = runner_for(project, isolation_for("auto"))
        timed_run(runner, render(REMOUNT_ESCAPE, TARGETS=targets))
        assert not outside.exists()
        assert tree_digest(tmp_path) == before
    finally:
        outside.unlink(missing_ok=True)


DAEMON = """\
import os
import sys
import time

MARKER = __MARKER__
CODE = (
    "import signal, time; "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); signal.signal(signal.SIGHUP, signal.SIG_IGN); "
    "time.sleep(60)"
)


def running():
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                if MARKER.encode() in fh.read():
                    return True
        except OSError:
            pass
    return False


def main():
    pid = os.fork()
    if pid == 0:  # first child: new session, fork again and exit, like a daemon does
        os.setsid()
        if os.fork() != 0:
            os._exit(0)
        os.execv(sys.executable, [sys.executable, "-S", "-c", CODE, MARKER])
    os.waitpid(pid, 0)
    deadline = time.monotonic() + 20
    while not running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(), "the daemon did not start"
"""


def test_daemon_escaping_with_setsid_and_double_fork_is_killed(
    tmp_path: Path, isolation: Isolation, marker: str
) -> None:
    check, wall = timed_run(
        runner_for(write_project(tmp_path), isolation), render(DAEMON, MARKER=marker)
    )
    assert check.status == "pass", check.output  # the daemon was running when the test ended
    assert wall < 30.0  # the run did not wait for the daemon's 60 s sleep
    assert marked_processes(marker) == []


CONNECT = """\
import socket


def main():
    with socket.create_connection(("127.0.0.1", __PORT__), timeout=5) as conn:
        conn.sendall(b"escaped")
"""


@NEEDS_BWRAP
def test_network_is_unreachable_inside_bwrap(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        source = render(CONNECT, PORT=listener.getsockname()[1])
        project = write_project(tmp_path)

        check, _ = timed_run(runner_for(project, isolation_for("auto")), source)
        assert check.status == "fail"
        assert check.details.get("failed") == 1
        assert "ConnectionRefusedError" in check.output or "unreachable" in check.output
        with pytest.raises(BlockingIOError):
            listener.accept()

        # Control: without bwrap the same candidate reaches the listener, so the failure
        # above comes from the network namespace and not from a broken candidate.
        check, _ = timed_run(runner_for(project, isolation_for("none")), source)
        assert check.status == "pass", check.output
        listener.setblocking(True)
        listener.settimeout(5)
        conn, _ = listener.accept()
        conn.close()


SLEEPER = """\
import subprocess
import sys
import time


def main():
    subprocess.run([sys.executable, "-S", "-c", "import time; time.sleep(60)", __MARKER__])
    time.sleep(60)
"""


def test_cancel_stops_the_run_and_leaves_no_process(
    tmp_path: Path, isolation: Isolation, marker: str
) -> None:
    token = CancelToken()
    seen: list[bool] = []
    cancelled_at: list[float] = []

    def cancel_once_started() -> None:
        time.sleep(1.0)
        deadline = time.monotonic() + 30
        while not marked_processes(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        seen.append(bool(marked_processes(marker)))
        cancelled_at.append(time.monotonic())
        token.cancel()

    canceller = threading.Thread(target=cancel_once_started, daemon=True)
    canceller.start()
    runner = runner_for(write_project(tmp_path), isolation, timeout=120.0)
    check, wall = timed_run(runner, render(SLEEPER, MARKER=marker), token)
    returned_at = time.monotonic()
    canceller.join(timeout=5)

    assert seen == [True]  # the test's child was running when the cancel came
    assert check.status == "error", check.output
    assert check.summary == "stopped: cancelled by the user"
    assert "timed_out" not in check.details
    assert returned_at - cancelled_at[0] < 5.0
    assert wall < 40.0
    assert marked_processes(marker) == []


SECRET_NAMES = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY")

READ_ENVIRONMENT = """\
import os

NAMES = __NAMES__
SECRET = __SECRET__


def main():
    leaked = sorted(k for k, v in os.environ.items() if k in NAMES or SECRET in v)
    assert leaked == [], f"visible: {leaked}"
    assert "PATH" in os.environ  # the environment is scrubbed, not emptied
"""


def test_environment_is_scrubbed_of_secrets(
    tmp_path: Path, isolation: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = f"sekrit-{uuid.uuid4().hex}"
    for name in SECRET_NAMES:
        monkeypatch.setenv(name, secret)
    monkeypatch.setenv("AGENTFIX_UNRELATED", secret)
    source = render(READ_ENVIRONMENT, NAMES=SECRET_NAMES, SECRET=secret)
    check, _ = timed_run(runner_for(write_project(tmp_path), isolation), source)
    assert check.status == "pass", check.output


READ_OTHER_ENVIRONMENTS = """\
import os

SECRET = __SECRET__


def main():
    seen = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                if SECRET.encode() in fh.read():
                    seen.append(name)
        except OSError:
            pass
    assert seen == [], f"secret visible in /proc/{seen}/environ"
"""


@NEEDS_BWRAP
def test_secrets_of_other_processes_are_out_of_sight(tmp_path: Path) -> None:
    secret = f"sekrit-{uuid.uuid4().hex}"
    # Stands for the agentfix server itself, started with the API key in its environment.
    holder = subprocess.Popen(
        [sys.executable, "-S", "-c", "import time; time.sleep(60)"],
        env={**os.environ, "OPENAI_API_KEY": secret},
    )
    try:
        environ = Path(f"/proc/{holder.pid}/environ")
        deadline = time.monotonic() + 20
        while secret.encode() not in environ.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.05)  # until the holder has exec'd with its own environment
        assert secret.encode() in environ.read_bytes()
        source = render(READ_OTHER_ENVIRONMENTS, SECRET=secret)
        check, _ = timed_run(runner_for(write_project(tmp_path), isolation_for("auto")), source)
        assert check.status == "pass", check.output
    finally:
        holder.kill()
        holder.wait()


MEMORY_SPREAD = """\
import subprocess
import sys

CHILD = "import time; block = b'x' * (400 * 1024 * 1024); time.sleep(3)"


def main():
    children = [subprocess.Popen([sys.executable, "-c", CHILD]) for _ in range(4)]
    codes = [child.wait() for child in children]
    assert codes == [0, 0, 0, 0], f"children ended with {codes}"
"""


@pytest.mark.skipif(
    __import__("agentfix.validators.cgroups").validators.cgroups.memory_root() is None,
    reason="no memory cgroup can be made on this machine: memory is limited per process only",
)
def test_memory_is_limited_for_the_whole_run_not_per_process(tmp_path: Path) -> None:
    """Four children of 400 MB each fit a 1024 MB limit per process, not all together."""
    limits = Limits(memory_mb=1024)
    runner = runner_for(write_project(tmp_path), isolation_for("auto"), limits=limits)
    check, _ = timed_run(runner, MEMORY_SPREAD)
    assert check.status == "fail" and "children ended with" in check.output, check.output
    assert "-9" in check.output  # the kernel's OOM killer, inside the run's cgroup


def test_limits_the_kernel_would_refuse_are_a_clear_error() -> None:
    from agentfix.errors import ConfigError
    from agentfix.settings import build_settings

    with pytest.raises(ConfigError, match="max_processes"):
        build_settings(None, {"max_processes": 10_000_000_000_000})


def test_files_that_add_up_past_the_size_limit_stop_the_run(
    tmp_path: Path, isolation: Isolation
) -> None:
    """Each file is capped (RLIMIT_FSIZE) but their sum was not: three files of 200 MB
    reached the disk. The copy is measured while the tests run, and they are stopped."""
    source = (
        "def main():\n    for i in range(4):\n"
        "        with open(f'big-{i}', 'wb') as fh:\n"
        "            for _ in range(200):\n                fh.write(b'x' * 2**20)\n"
        "                fh.flush()\n"
    )
    project = write_project(tmp_path)
    check, _ = timed_run(runner_for(project, isolation), source)
    assert check.status == "fail"
    assert "wrote more than 256 MB into their copy of the project" in check.summary
    assert not list(tmp_path.rglob("big-*"))  # nothing was written to the user's project
