"""Where a file's project starts, which interpreter runs its tests (``interpreter``), and
which test command."""

from __future__ import annotations

import configparser
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

from agentfix.errors import ConfigError
from agentfix.interpreter import Interpreter, find_interpreter

ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git", "tox.ini", "pytest.ini")


@dataclass(frozen=True)
class Project:
    """The project around a file: root directory, test interpreter and test command."""

    root: Path
    interpreter: Interpreter
    test_command: str | None
    test_command_source: str  # "setting", "detected pytest", or "none"

    @property
    def python(self) -> str:
        return self.interpreter.python


def opened(file: Path) -> Path:
    """The file as the user named it, absolute: its folders resolved, but a symlinked file
    kept as the link. Its project is where the link is, and its tests may import it by the
    link's name; the fix is written through the link to the real file."""
    return file.absolute().parent.resolve() / file.name


def find_root(file: Path) -> Path:
    """Nearest ancestor with a project marker; the file's own folder when none is found."""
    start = opened(file).parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return start


def has_pytest_setup(root: Path) -> bool:
    """True when the project configures pytest or visibly has pytest-style tests."""
    if (root / "pytest.ini").is_file() or (root / "conftest.py").is_file():
        return True
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            if "pytest" in data.get("tool", {}):
                return True
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            pass
    for name, section in (("setup.cfg", "tool:pytest"), ("tox.ini", "pytest")):
        cfg = root / name
        if cfg.is_file():
            parser = configparser.ConfigParser()
            try:
                parser.read(cfg, encoding="utf-8")
            except configparser.Error:
                continue
            if parser.has_section(section):
                return True
    for folder in (root / "tests", root / "test", root):
        if folder.is_dir() and (any(folder.glob("test_*.py")) or any(folder.glob("*_test.py"))):
            return True
    return False


def default_test_command() -> str:
    """pytest, quiet, short tracebacks, no cache writes. It runs to the end: candidates are
    judged test by test against the original's whole run (``--maxfail`` would leave most
    tests unknown), and staging, not stopping early, keeps a big suite cheap."""
    return "python -m pytest -q --tb=short -p no:cacheprovider"


def discover(file: Path, python_setting: str | None, test_setting: str | None) -> Project:
    root = find_root(file)
    python = find_interpreter(root, python_setting)
    if test_setting:
        try:
            shlex.split(test_setting)
        except ValueError as exc:
            raise ConfigError(f"test command {test_setting!r} cannot be parsed: {exc}") from exc
        return Project(root, python, test_setting, "setting")
    if has_pytest_setup(root):
        return Project(root, python, default_test_command(), "detected pytest")
    return Project(root, python, None, "none")
