"""How the tests see the candidate's copy: where it is, what they may not change, and the
environment they run in.

The tests must import the candidate, not the user's file: inside bubblewrap the copy is
shown at the project's real path (so an editable install's ``.pth`` or a path hard-coded
in a conftest leads to the copy) and the project's own environment is shown read-only
beside it; without bubblewrap the copy's import root goes first on ``PYTHONPATH``. The
tests and pytest's configuration judge the candidate, so inside they are read-only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from agentfix.validators.sandbox import Mount
from agentfix.validators.workspace import Snapshot, Workspace

if TYPE_CHECKING:
    from agentfix.validators.tests import RunPlan, TestRunner

PLUGIN_DIR = str(Path(__file__).with_name("pytest_plugin"))
CONFIG_FILES = frozenset(
    {"conftest.py", "pytest.ini", ".pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"}
)
MAX_READ_ONLY = 1500  # more test files than this: their folders are read-only instead


def target_module(root: Path, rel_path: str) -> str:
    """The dotted name the file under test is imported by (its import root's view)."""
    parts = list(Path(rel_path).with_suffix("").parts)
    folder = root / Path(rel_path).parent
    depth = 0
    while depth < len(parts) - 1 and (folder / "__init__.py").is_file():
        depth += 1
        folder = folder.parent
    names = parts[len(parts) - 1 - depth :]
    if names[-1] == "__init__":
        names = names[:-1]
    return ".".join(names)


def import_root(module: str, rel_path: str, project: Path) -> Path:
    """The folder the file's top package lives in, under ``project``."""
    depth = len(module.split(".")) - (0 if rel_path.endswith("__init__.py") else 1)
    folder = (project / rel_path).parent
    for _ in range(depth):
        folder = folder.parent
    return folder


def environment(runner: TestRunner, ws: Workspace, inside: Path, plan: RunPlan) -> dict[str, str]:
    """A scrubbed environment: no secrets, the project's interpreter first on PATH."""
    bindir = str(Path(runner.python).parent)
    module = runner.module
    paths = (
        [] if runner.isolation.bwrap else [str(import_root(module, runner.rel_path, ws.project))]
    )
    env = {
        "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(ws.home),
        "TMPDIR": str(ws.tmp),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": plan.hash_seed,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([*paths, PLUGIN_DIR]),
        "PYTEST_PLUGINS": "agentfix_report",
        "AGENTFIX_REPORT": str(ws.base / "report.json"),
        "AGENTFIX_PROGRESS": str(ws.base / "progress"),
        "AGENTFIX_TARGET": "\n".join(
            str(inside / rel) for rel in runner.snapshot.same_file(runner.rel_path)
        ),
        "AGENTFIX_TARGET_MODULE": module,
        "NO_COLOR": "1",
        "PY_COLORS": "0",
        "TERM": "dumb",
    }
    if plan.files or plan.tests:
        env["AGENTFIX_SELECT"] = "\n".join((*plan.files, *plan.tests))
    if plan.reverse:
        env["AGENTFIX_REVERSE"] = "1"
    if plan.touch:
        env["AGENTFIX_TOUCH"] = "1"
    if plan.cover:
        env["AGENTFIX_COVER"] = "1"
    venv = Path(bindir).parent
    if (venv / "pyvenv.cfg").exists():
        env["VIRTUAL_ENV"] = str(venv)
    return env


def copy_mounts(runner: TestRunner, ws: Workspace) -> tuple[Path, list[Mount]]:
    """Where the copy is seen inside the sandbox, and the mounts that make it so."""
    root = runner.snapshot.root
    if not runner.isolation.bwrap or ws.base.is_relative_to(root):
        return ws.project, []
    mounts = [Mount(ws.project, root, writable=True)]
    copied = {Path(rel).parts[0] for rel, _ in runner.snapshot.files} | {
        Path(rel).parts[0] for rel in runner.snapshot.dirs
    }
    try:
        left_out = sorted(e.name for e in os.scandir(root) if e.name not in copied)
    except OSError:
        left_out = []
    # what the copy leaves out (the project's .venv, build output) stays visible, read-only
    mounts += [Mount(root / name, root / name) for name in left_out]
    mounts += [Mount(p, root / p.relative_to(ws.project)) for p in ws.linked]
    # the tests judge the candidate: it may not rewrite them (or pytest's configuration)
    mounts += [Mount(ws.project / rel, root / rel) for rel in judges(runner.snapshot)]
    return root, mounts


def judges(snapshot: Snapshot) -> list[str]:
    """The copy's test files, conftests and pytest configuration: read-only inside."""
    found = [rel for rel, _ in snapshot.files if _judges(Path(rel).name)]
    if len(found) <= MAX_READ_ONLY:
        return found
    folders = sorted({str(Path(rel).parent) for rel in found}, key=len)
    outermost: list[str] = []
    for folder in folders:
        if folder != "." and not any(Path(folder).is_relative_to(o) for o in outermost):
            outermost.append(folder)
    return outermost + [rel for rel in found if str(Path(rel).parent) == "."]


def _judges(name: str) -> bool:
    return name in CONFIG_FILES or (
        name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))
    )
