"""No UNIX socket of the user's services is reachable from a test run inside bwrap.

A read-only filesystem does not stop ``connect()``: a candidate that reached the user's
tmux server through its socket in ``/tmp`` made the host run commands. A socket is put in
each place such services use (``/tmp``, ``/var/tmp``, ``/run``, ``/var/run``,
``/dev/shm``, ``$XDG_RUNTIME_DIR``, the home); a candidate tries them all at import and
in its test. Inside bwrap none is reached; without bwrap they are (the control that shows
the check can see a connection).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentfix.cancel import CancelToken
from agentfix.validators.sandbox import bwrap_works, isolation_for
from agentfix.validators.sandbox_limits import Limits
from agentfix.validators.sandbox_view import exposed, hidden_places, interpreter_paths
from agentfix.validators.tests import TestRunner as Runner
from agentfix.validators.workspace import Snapshot

CANDIDATE = '''"""Tries every socket it was told of."""
import socket

PATHS = __PATHS__


def reach():
    reached = []
    for path in PATHS:
        conn = socket.socket(socket.AF_UNIX)
        try:
            conn.connect(path)
            conn.sendall(b"send-keys id Enter\\n")
            reached.append(path)
        except OSError:
            pass
        finally:
            conn.close()
    return reached


AT_IMPORT = reach()


def main():
    assert not AT_IMPORT and not reach(), f"reached {AT_IMPORT}"
'''
TEST_FILE = "import mod\n\n\ndef test_main():\n    mod.main()\n"


@pytest.fixture
def places(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """A folder per kind of place: the system ones, and a fresh XDG_RUNTIME_DIR and HOME
    outside them (set in the environment, as a desktop session does)."""
    own = Path(__file__).resolve().parent / f".sockets-{uuid.uuid4().hex[:8]}"
    (own / "xdg").mkdir(parents=True)
    (own / "home").mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(own / "xdg"))
    monkeypatch.setenv("HOME", str(own / "home"))
    found = {
        name: Path(folder)
        for name, folder in [
            ("tmp", "/tmp"),
            ("var-tmp", "/var/tmp"),
            ("run", "/run"),
            ("var-run", "/var/run"),
            ("dev-shm", "/dev/shm"),
            ("xdg", str(own / "xdg")),
            ("home", str(own / "home")),
        ]
        if os.access(folder, os.W_OK)
    }
    try:
        yield found
    finally:
        shutil.rmtree(own, ignore_errors=True)


@contextlib.contextmanager
def listeners(places: dict[str, Path]) -> Iterator[dict[str, socket.socket]]:
    """A listening UNIX socket in each place (unique names: /var/run may be /run)."""
    made: dict[str, socket.socket] = {}
    try:
        for name, folder in places.items():
            path = folder / f"agentfix-{name}-{uuid.uuid4().hex[:8]}.sock"
            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
            server.listen(8)
            server.setblocking(False)
            made[str(path)] = server
        yield made
    finally:
        for path, server in made.items():
            server.close()
            with contextlib.suppress(OSError):
                os.unlink(path)


def connected(server: socket.socket) -> bool:
    try:
        conn, _ = server.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def run_candidate(tmp_path: Path, mode: str, paths: list[str]) -> tuple[str, str]:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.pytest.ini_options]\naddopts = ''\n")
    (project / "mod.py").write_text('"""The user\'s module."""\n\n\ndef main():\n    pass\n')
    (project / "test_mod.py").write_text(TEST_FILE)
    runner = Runner(
        command="python -m pytest -q -p no:cacheprovider",
        snapshot=Snapshot.take(project),
        rel_path="mod.py",
        python=sys.executable,
        timeout=60,
        isolation=isolation_for(mode),
        limits=Limits(),
    )
    check = runner.run(CANDIDATE.replace("__PATHS__", repr(paths)), CancelToken())
    return check.status, check.output


@pytest.mark.skipif(bwrap_works() is None, reason="bubblewrap cannot run on this machine")
def test_no_socket_of_the_users_services_is_reachable_inside_bwrap(
    tmp_path: Path, places: dict[str, Path]
) -> None:
    assert {"tmp", "var-tmp", "dev-shm", "xdg", "home"} <= places.keys()
    with listeners(places) as servers:
        status, output = run_candidate(tmp_path, "auto", list(servers))
        reached = [path for path, server in servers.items() if connected(server)]
    assert reached == [] and status == "pass", output


def test_without_bwrap_the_same_sockets_are_reached_and_the_check_sees_it(
    tmp_path: Path, places: dict[str, Path]
) -> None:
    with listeners(places) as servers:
        status, output = run_candidate(tmp_path, "none", list(servers))
        reached = [path for path, server in servers.items() if connected(server)]
    assert sorted(reached) == sorted(servers) and status == "fail", output


def test_the_interpreter_stays_visible_from_a_hidden_home() -> None:
    """A pyenv or home-installed Python lives under a hidden place: it is shown again."""
    home = Path(sys.base_prefix).resolve().parent
    hidden = hidden_places({"HOME": str(home)})
    assert any(home.is_relative_to(h) for h in hidden) or home == Path("/")
    shown = exposed(interpreter_paths(sys.executable), (home,))
    assert any(Path(sys.base_prefix).resolve().is_relative_to(p) for p in shown)
    assert home not in shown


def test_packages_symlinked_into_the_environment_stay_visible(tmp_path: Path) -> None:
    """uv's symlink mode (or a venv linking another's packages): the targets are shown."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "v")],
                   check=True)  # fmt: skip
    store = tmp_path / "store" / "pkg"
    store.mkdir(parents=True)
    (site,) = (tmp_path / "v").glob("lib/python3.*/site-packages")
    (site / "pkg").symlink_to(store)
    paths = interpreter_paths(str(tmp_path / "v" / "bin" / "python"))
    assert store in paths


@pytest.mark.skipif(bwrap_works() is None, reason="bubblewrap cannot run on this machine")
def test_the_private_tmp_is_size_limited(tmp_path: Path) -> None:
    """Each file was capped at 256 MB, but not their sum: 750 MB reached the disk. The
    private /tmp now holds at most what one file may (and is charged to the run's memory)."""
    from agentfix.validators.sandbox_limits import FILE_SIZE_LIMIT
    from agentfix.validators.sandbox_run import run_sandboxed

    chunk = 100 * 1024 * 1024
    script = (
        "import os\nwritten = 0\nfor i in range(4):\n    try:\n"
        f"        with open(f'/tmp/f{{i}}', 'wb') as fh:\n            fh.write(b'x' * {chunk})\n"
        f"        written += {chunk}\n    except OSError as exc:\n        print(exc)\n"
        "        break\nprint('written', written)\n"
    )
    result = run_sandboxed(
        f"{sys.executable} -c \"{script}\"", cwd=tmp_path, writable=tmp_path,
        env={"PATH": os.environ["PATH"]}, timeout=60, token=CancelToken(),
        isolation=isolation_for("auto"), limits=Limits(memory_mb=2048),
        needs=interpreter_paths(sys.executable),
    )  # fmt: skip
    written = int(result.output.split("written ")[-1].split()[0])
    assert "No space left on device" in result.output, result.output
    assert written <= FILE_SIZE_LIMIT < 4 * chunk
