"""Which interpreter runs a project's tests: found as editors find it, and said why."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from agentfix.interpreter import _poetry_env_stem, find_interpreter


def fake_env(folder: Path) -> Path:
    """An environment folder as venv/virtualenv/poetry make it (pyvenv.cfg + bin/python)."""
    (folder / "bin").mkdir(parents=True)
    (folder / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    python = folder / "bin" / "python"
    python.symlink_to(sys.executable)
    return python


def project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text('[project]\nname = "Shop-App"\nversion = "1"\n')
    return root


def test_an_activated_environment_outside_the_project_is_used_and_named(tmp_path: Path) -> None:
    python = fake_env(tmp_path / "envs" / "shop")
    found = find_interpreter(
        project(tmp_path / "shop"), None, {"VIRTUAL_ENV": str(python.parents[1])}
    )
    assert found.python == str(python) and not found.fallback
    assert "VIRTUAL_ENV" in found.reason


def test_a_monorepo_root_environment_is_found_from_a_sub_project(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    python = fake_env(tmp_path / ".venv")
    found = find_interpreter(project(tmp_path / "packages" / "shop"), None, {})
    assert found.python == str(python)
    assert str(tmp_path / ".venv") in found.reason


def test_the_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    fake_env(tmp_path / ".venv")  # above the repository: not this project's
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    found = find_interpreter(project(tmp_path / "repo"), None, {"HOME": str(tmp_path / "h")})
    assert found.fallback and found.python == sys.executable
    assert "agentfix's own interpreter" in found.reason and "agentfix.python" in found.reason


def test_an_environment_folder_with_another_name_is_found(tmp_path: Path) -> None:
    python = fake_env(tmp_path / "shop" / ".venv-py311")
    found = find_interpreter(project(tmp_path / "shop"), None, {})
    assert found.python == str(python)


def test_poetrys_environment_in_its_cache_is_found(tmp_path: Path) -> None:
    root = project(tmp_path / "shop")
    home = tmp_path / "home"
    stem = _poetry_env_stem("Shop-App", root)
    assert stem.startswith("shop-app-")
    python = fake_env(home / ".cache" / "pypoetry" / "virtualenvs" / f"{stem}-py3.11")
    found = find_interpreter(root, None, {"HOME": str(home)})
    assert found.python == str(python) and "poetry" in found.reason


def test_agentfixs_own_active_environment_gives_way_to_the_projects(tmp_path: Path) -> None:
    python = fake_env(tmp_path / "shop" / ".venv")
    found = find_interpreter(project(tmp_path / "shop"), None, {"VIRTUAL_ENV": sys.prefix})
    assert found.python == str(python)


def test_the_setting_wins_and_may_name_an_environment_folder(tmp_path: Path) -> None:
    root = project(tmp_path / "shop")
    python = fake_env(tmp_path / "elsewhere")
    fake_env(root / ".venv")
    found = find_interpreter(root, str(tmp_path / "elsewhere"), {})
    assert found.python == str(python) and "agentfix.python" in found.reason
    assert os.path.exists(found.python)
