"""Which Python runs a project's tests, found the way editors find it, and why that one.

Running the tests with the wrong interpreter is silent harm: another version of the
project (or none of its dependencies) is imported, so a buggy file "passes" or every
candidate fails. The search follows what editors and the packaging tools do:

1. the ``agentfix.python`` setting;
2. the activated environment (``VIRTUAL_ENV``, ``CONDA_PREFIX``), unless it is agentfix's
   own while the project has one of its own;
3. an environment folder (``.venv``, ``venv``, ``env`` or any folder with ``pyvenv.cfg``) in
   the project folder or a parent, up to the repository root (uv and pdm workspaces,
   monorepos);
4. the tools' own places: ``UV_PROJECT_ENVIRONMENT``, poetry, pipenv, hatch and pdm;
5. agentfix's own interpreter, said loudly, never silently.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from agentfix.errors import ConfigError

ENV_NAMES = (".venv", "venv", "env", ".env")
BIN = "Scripts" if os.name == "nt" else "bin"
EXE = "python.exe" if os.name == "nt" else "python"


@dataclass(frozen=True)
class Interpreter:
    """An interpreter and the reason it was chosen (shown to the user)."""

    python: str
    reason: str
    fallback: bool = False  # agentfix's own interpreter: nothing of the project's was found


def find_interpreter(
    root: Path, setting: str | None, environ: Mapping[str, str] | None = None
) -> Interpreter:
    """The interpreter for the project at ``root``; raises ``ConfigError`` for a bad setting."""
    env = os.environ if environ is None else environ
    if setting:
        return Interpreter(_from_setting(root, setting), "set by agentfix.python")
    own = Path(sys.prefix).resolve()
    local = next(_local_envs(root), None)
    for var in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        prefix = env.get(var, "").strip()
        if prefix and (python := _python_in(Path(prefix))):
            if Path(prefix).resolve() == own and local is not None:
                continue  # agentfix's own venv is active, but the project has its own
            return Interpreter(python, f"the active environment (${var}={prefix})")
    if local is not None:
        folder, python = local
        return Interpreter(python, f"the environment in {folder}")
    for python, reason in _tool_envs(root, env):
        return Interpreter(python, reason)
    return Interpreter(
        sys.executable,
        f"no environment of the project was found (looked for .venv/venv/env from {root} "
        "up to the repository root, $VIRTUAL_ENV, poetry, pipenv, hatch and pdm), so "
        "agentfix's own interpreter runs the tests — set agentfix.python (--python) to the "
        "project's interpreter if its dependencies live elsewhere",
        fallback=True,
    )


def _from_setting(root: Path, setting: str) -> str:
    path = Path(setting).expanduser()
    if not path.is_absolute() and (root / path).exists():
        path = root / path
    if path.is_dir() and (python := _python_in(path)):
        return python  # an environment folder was named: take its interpreter
    if path.is_file():
        return str(path.absolute())
    from shutil import which

    found = which(setting)
    if found:
        return found
    raise ConfigError(
        f"python '{setting}' does not exist. Set agentfix.python to an interpreter path "
        "(e.g. /path/to/project/.venv/bin/python) or an environment folder."
    )


def _python_in(prefix: Path) -> str | None:
    """The interpreter of an environment folder, if it is one."""
    for name in (EXE, "python3"):
        candidate = prefix / BIN / name
        if candidate.is_file():
            return str(candidate)
    return None


def _local_envs(root: Path) -> Iterator[tuple[Path, str]]:
    """Environment folders in ``root`` and its parents, up to the repository root."""
    for folder in _up_to_repository(root):
        named = [folder / name for name in ENV_NAMES]
        try:
            others = sorted(p for p in folder.iterdir() if p.is_dir() and p not in named)
        except OSError:
            others = []
        for candidate in [*named, *others]:
            if (candidate / "pyvenv.cfg").is_file() or (
                candidate.name in ENV_NAMES[:3] and (candidate / "conda-meta").is_dir()
            ):
                if python := _python_in(candidate):
                    yield candidate, python


def _up_to_repository(root: Path) -> list[Path]:
    """``root`` and its parents up to the nearest VCS root (only ``root`` when none)."""
    chain = [root]
    for folder in (root, *root.parents):
        if folder != root:
            chain.append(folder)
        if any((folder / marker).exists() for marker in (".git", ".hg", ".svn")):
            return chain
    return [root]


def _tool_envs(root: Path, env: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """Environments the packaging tools keep outside the project."""
    home = Path(env.get("HOME") or Path.home())
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    cache = Path(env.get("XDG_CACHE_HOME") or home / ".cache")
    name = project_name(root)
    if uv := env.get("UV_PROJECT_ENVIRONMENT"):
        path = Path(uv) if Path(uv).is_absolute() else root / uv
        if python := _python_in(path):
            yield python, f"uv's project environment ($UV_PROJECT_ENVIRONMENT={uv})"
    poetry = Path(env.get("POETRY_VIRTUALENVS_PATH") or cache / "pypoetry" / "virtualenvs")
    for folder in sorted(poetry.glob(f"{_poetry_env_stem(name, root)}-py*"), reverse=True):
        if python := _python_in(folder):
            yield python, f"poetry's environment {folder}"
    pipenv = Path(env.get("WORKON_HOME") or data / "virtualenvs")
    for folder in sorted(pipenv.glob(f"{root.name}-*")):
        if _names_project(folder / ".project", root) and (python := _python_in(folder)):
            yield python, f"pipenv's environment {folder}"
    hatch = data / "hatch" / "env" / "virtual" / name
    found = sorted(hatch.glob("*/*"), key=lambda p: (p.name != "default", str(p)))
    for folder in found:
        if python := _python_in(folder):
            yield python, f"hatch's environment {folder}"
    for folder in sorted((data / "pdm" / "venvs").glob(f"{name}-*")):
        if python := _python_in(folder):
            yield python, f"pdm's environment {folder}"


def project_name(root: Path) -> str:
    """The name in pyproject.toml (``[project]`` or ``[tool.poetry]``), else the folder's."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return root.name
    name = data.get("project", {}).get("name") or data.get("tool", {}).get("poetry", {}).get("name")
    return str(name) if name else root.name


def _poetry_env_stem(name: str, root: Path) -> str:
    """Poetry names its environments ``<name>-<8 chars of the path's hash>-py<version>``."""
    sanitized = re.sub(r'[ $`!*@"\\\r\n\t]', "_", name.lower())[:42]
    digest = hashlib.sha256(os.path.normcase(os.path.realpath(root)).encode()).digest()
    return f"{sanitized}-{base64.urlsafe_b64encode(digest).decode()[:8]}"


def _names_project(marker: Path, root: Path) -> bool:
    try:
        return Path(marker.read_text(encoding="utf-8").strip()).resolve() == root.resolve()
    except OSError:
        return False
