"""Project copies in a git work tree honour .gitignore (what git lists, plus the ignored
files Python imports); elsewhere, or without git, every file but VCS/venv/cache folders."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agentfix.validators.workspace import Snapshot, materialize

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


def write(root: Path, rel: str, text: str = "x\n") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def project(root: Path) -> Path:
    """A repository with generated docs, a build folder, a generated version module and an
    in-place extension (all ignored), an untracked new file and a venv git does not ignore."""
    git(root, "init", "-q")
    write(root, ".gitignore", "docs/_build/\nbuild/\n*.so\n_version.py\n*.log\n")
    for rel in ("pyproject.toml", "pkg/__init__.py", "pkg/core.py", "tests/test_core.py",
                "pkg/gone.py", "docs/index.rst"):  # fmt: skip
        write(root, rel)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    for rel in ("docs/_build/html/index.html", "build/lib/pkg/core.py", "pkg/_version.py",
                "pkg/_speedups.so", "run.log", "pkg/new.py", ".venv/lib/site.py"):  # fmt: skip
        write(root, rel)
    write(root, ".venv/pyvenv.cfg", "home = /usr\n")
    (root / "pkg" / "gone.py").unlink()  # tracked, deleted in the work tree, not committed
    return root


def names(snapshot: Snapshot) -> set[str]:
    return {rel.replace(os.sep, "/") for rel, _ in snapshot.files}


def test_a_git_work_tree_is_copied_as_git_lists_it(tmp_path: Path) -> None:
    snapshot = Snapshot.take(project(tmp_path))
    assert snapshot.listed_by == "git"
    assert names(snapshot) == {
        ".gitignore", "pyproject.toml", "pkg/__init__.py", "pkg/core.py", "tests/test_core.py",
        "docs/index.rst", "pkg/new.py",  # untracked, not ignored
        "pkg/_version.py", "pkg/_speedups.so",  # ignored, but imported by the tests
    }  # fmt: skip
    assert set(snapshot.dirs) == {"pkg", "tests", "docs"}
    ws = materialize(snapshot, link_large=False)
    try:
        assert (ws.project / "pkg" / "_version.py").read_text() == "x\n"
        assert not (ws.project / "docs" / "_build").exists()
        assert not (ws.project / "pkg" / "gone.py").exists()
    finally:
        ws.cleanup()


def test_a_subfolder_of_a_repository_lists_only_itself(tmp_path: Path) -> None:
    project(tmp_path)
    snapshot = Snapshot.take(tmp_path / "pkg")
    assert names(snapshot) == {"__init__.py", "core.py", "new.py", "_version.py", "_speedups.so"}


def test_a_submodule_or_nested_repository_is_walked(tmp_path: Path) -> None:
    project(tmp_path)
    nested = tmp_path / "vendor" / "lib"
    nested.mkdir(parents=True)
    git(nested, "init", "-q")
    write(nested, "lib.py")
    assert "vendor/lib/lib.py" in names(Snapshot.take(tmp_path))


def test_without_git_or_outside_a_repository_the_folder_is_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    write(plain, "docs/_build/page.html")
    write(plain, "mod.py")
    write(plain, ".venv/lib/site.py")
    snapshot = Snapshot.take(plain)
    assert snapshot.listed_by == "walk"
    assert names(snapshot) == {"docs/_build/page.html", "mod.py"}
    (tmp_path / "repo").mkdir()
    repo = project(tmp_path / "repo")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # git cannot be found
    snapshot = Snapshot.take(repo)
    assert snapshot.listed_by == "walk" and "docs/_build/html/index.html" in names(snapshot)
