"""Which ruff checks a project, and with which of its pre-commit arguments.

A project that pins ruff (in its environment, or in ``.pre-commit-config.yaml``) judges its
code with that version: a newer ruff has more rules and other fixes, so agentfix's bundled
one would report diagnostics the user never sees and rewrite code nobody asked it to. So
the ``ruff`` in the bin folder of the project's interpreter comes first, agentfix's own
second; the pre-commit hook's rule and configuration arguments are honoured, and the
version pinned there is reported next to the one that ran (a mismatch is said, not fixed).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from agentfix.errors import AgentfixError
from agentfix.project import Project, find_root
from agentfix.trace import Trace

PRE_COMMIT = ".pre-commit-config.yaml"
HOOK_IDS = ("ruff", "ruff-check")
# options of `ruff check` that shape the configuration (every run that uses the project's)
CONFIG_OPTIONS = frozenset({"--config", "--line-length", "--target-version"})
CONFIG_FLAGS = frozenset({"--preview", "--no-preview"})
# options that pick the rules: only for runs of the project's own rule set
RULE_OPTIONS = frozenset(
    {"--select", "--extend-select", "--ignore", "--extend-ignore", "--fixable", "--unfixable",
     "--extend-fixable", "--per-file-ignores", "--extend-per-file-ignores"}
)  # fmt: skip
_VERSION = re.compile(r"(\d+\.\d+\.\d+)")
MIN_VERSION = (0, 1, 0)  # an older project ruff lacks options agentfix uses: its own runs

_lock = threading.Lock()
_interpreters: dict[Path, str] = {}


@dataclass(frozen=True)
class RuffTool:
    """A ruff executable, its version, where it came from, and the project's hook arguments."""

    binary: str
    version: str
    origin: str  # "project" (the interpreter's bin folder) or "agentfix" (bundled)
    pinned: str | None = None  # the ruff-pre-commit ``rev``, without its leading "v"
    config_args: tuple[str, ...] = ()
    rule_args: tuple[str, ...] = ()
    ignored_args: tuple[str, ...] = ()

    def describe(self) -> dict[str, Any]:
        """What the trace says about the ruff that ran."""
        return {
            "binary": self.binary,
            "version": self.version,
            "origin": self.origin,
            "pinned": self.pinned,
            "matches_pin": None if self.pinned is None else self.pinned == self.version,
            "pre_commit_args": [*self.config_args, *self.rule_args],
            "ignored_pre_commit_args": list(self.ignored_args),
        }

    def summary(self) -> str:
        """One line for the user: which ruff, and how it relates to the pin."""
        where = "the project's environment" if self.origin == "project" else "agentfix's own"
        text = f"ruff {self.version} from {where}"
        if self.pinned and self.pinned != self.version:
            text += f" (the project pins {self.pinned} in {PRE_COMMIT})"
        elif self.pinned:
            text += f" (as pinned in {PRE_COMMIT})"
        return text


def use_interpreter(root: Path, python: str) -> RuffTool:
    """Record the interpreter that runs ``root``'s tests (its bin folder may hold the
    project's ruff) and return the ruff that its files will be checked with."""
    root = root.resolve()
    with _lock:
        _interpreters[root] = python
    return _tool(root, python, _mtime(root / PRE_COMMIT))


def note_ruff(project: Project, trace: Trace) -> str:
    """At a fix's entry (CLI, language server): the interpreter that will run the project's
    tests decides which ruff checks the file. Record it in the trace (the project's ruff or
    agentfix's, and the pin); returns the line to show the user, "" when unknown."""
    try:
        tool = use_interpreter(project.root, project.python)
    except (AgentfixError, OSError) as exc:
        trace.add("ruff", error=str(exc))  # the fix itself reports what is wrong
        return ""
    trace.add("ruff", **tool.describe())
    return tool.summary()


def tool_for(path: Path) -> RuffTool:
    """The ruff for the file at ``path`` (absolute): cached per project and interpreter."""
    root = find_root(path)
    with _lock:
        python = _interpreters.get(root)
    if python is None:
        python = _default_python(root)
    return _tool(root, python, _mtime(root / PRE_COMMIT))


@lru_cache(maxsize=64)
def _default_python(root: Path) -> str:
    """The project's interpreter when no entry point said (a test or a benchmark calling
    the validators directly): the same search ``discover`` makes, once per root."""
    from agentfix.project import discover

    try:
        return discover(root / "__init__.py", None, None).python
    except AgentfixError:
        return ""


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=64)
def _tool(root: Path, python: str, pre_commit_mtime: int) -> RuffTool:
    pinned, args = read_pre_commit(root)
    config, rules, ignored = split_args(args, root)
    binary, origin = bundled_binary(), "agentfix"
    own = _project_binary(python)
    if own and own.resolve() != Path(binary).resolve() and _usable(_version(str(own))):
        binary, origin = str(own), "project"
    return RuffTool(binary, _version(binary) or "unknown", origin, pinned, config, rules, ignored)


def _usable(version: str) -> bool:
    """A ruff with the options agentfix passes (``--no-unsafe-fixes``: 0.1.0 and later)."""
    found = _VERSION.search(version)
    return found is not None and tuple(map(int, found.group(1).split("."))) >= MIN_VERSION


def _project_binary(python: str) -> Path | None:
    """The ``ruff`` next to the project's interpreter (its environment's bin folder)."""
    if not python:
        return None
    own = Path(python).parent / ("ruff.exe" if os.name == "nt" else "ruff")
    return own if own.is_file() and os.access(own, os.X_OK) else None


@cache
def bundled_binary() -> str:
    """The ruff executable shipped by the ``ruff`` PyPI package (agentfix's dependency)."""
    try:
        from ruff import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError) as exc:
        raise AgentfixError("ruff is not installed: run `pip install ruff`.") from exc


@lru_cache(maxsize=16)
def _version(binary: str) -> str:
    """``ruff --version``'s number, or "" when the executable does not run."""
    try:
        proc = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=15, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    found = _VERSION.search(proc.stdout) if proc.returncode == 0 else None
    return found.group(1) if found else ""


def read_pre_commit(root: Path) -> tuple[str | None, tuple[str, ...]]:
    """The ruff version pinned in ``.pre-commit-config.yaml`` and its ruff hook's arguments:
    ruff-pre-commit's ``rev`` and ``args``, or a local hook's ``entry`` (``ruff check
    --ignore E741``) and a ``ruff==`` pin in its ``additional_dependencies``."""
    try:
        import yaml

        data = yaml.safe_load((root / PRE_COMMIT).read_text(encoding="utf-8"))
    except Exception:  # missing, unreadable or broken (yaml.YAMLError): not ours to fail on
        return None, ()
    for repo in _list(data.get("repos") if isinstance(data, dict) else None):
        if not isinstance(repo, dict):
            continue
        source = str(repo.get("repo", ""))
        for hook in _list(repo.get("hooks")):
            if not isinstance(hook, dict) or hook.get("id") not in HOOK_IDS:
                continue
            if "ruff-pre-commit" in source:
                return _pin(str(repo.get("rev", ""))), _hook_args(hook, [])
            if source == "local" and str(hook.get("entry", "")).split()[:1] == ["ruff"]:
                pins = [str(d) for d in _list(hook.get("additional_dependencies"))]
                pin = next((_pin(d) for d in pins if d.startswith("ruff==")), None)
                return pin, _hook_args(hook, _entry_args(str(hook["entry"])))
    return None, ()


def _pin(text: str) -> str | None:
    found = _VERSION.search(text)
    return found.group(1) if found else None


def _entry_args(entry: str) -> list[str]:
    """The options of a local hook's ``entry``, without ``ruff`` and ``check``."""
    try:
        words = shlex.split(entry)
    except ValueError:
        return []
    words = words[1:]
    return words[1:] if words[:1] == ["check"] else words


def _hook_args(hook: dict[str, Any], first: list[str]) -> tuple[str, ...]:
    return tuple([*first, *(str(a) for a in _list(hook.get("args")))])


def _list(value: object) -> list[Any]:
    """A YAML value that should be a list, or an empty one (the file is the user's)."""
    return value if isinstance(value, list) else []


def split_args(
    args: tuple[str, ...], root: Path
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(configuration args, rule-selection args, ignored args) of a pre-commit ruff hook.

    Fix and output switches (``--fix``, ``--exit-non-zero-on-fix``, ``--show-fixes``) are
    agentfix's to decide and are ignored, as is anything unknown: passing an option the
    binary lacks would make every run fail (``--force-exclude`` too: agentfix checks the
    file it was asked to, excluded or not). A ``--config`` file is relative to the root
    (pre-commit runs there); an inline ``--config 'key = value'`` is passed as is."""
    config: list[str] = []
    rules: list[str] = []
    ignored: list[str] = []
    items = list(args)
    while items:
        arg = items.pop(0)
        name, eq, value = arg.partition("=")
        if name in CONFIG_FLAGS:
            config.append(name)
            continue
        if name not in CONFIG_OPTIONS | RULE_OPTIONS:
            ignored.append(arg)
            continue
        if not eq:
            if not items:
                ignored.append(arg)
                continue
            value = items.pop(0)
        if name == "--config" and (root / value).is_file():
            value = str(root / value)
        (config if name in CONFIG_OPTIONS else rules).extend([name, value])
    return tuple(config), tuple(rules), tuple(ignored)
