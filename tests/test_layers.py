"""agentfix's modules form layers, and no import runs upward (bottom to top):

- ``BASE``: neutral utilities that know nothing of fixing: errors, cancellation, progress,
  the text and Python-source utilities (``source``), the line diff, a file's byte form,
  and the run trace (a thread-safe event log, stdlib only, written by checks and engine).
- ``CONFIG``: what the user configured and where things are: settings (with the trust
  record that guards them), the project root, its interpreter and test command, the cache
  folder. They import only ``BASE``, and checks (``ruff_tool`` reads the project),
  providers (settings), the engine and the adapters read them, so they sit right above it.
- ``SANDBOX``: running a command in an isolated copy of the project.
- ``CHECKS``: validators that judge a candidate (syntax, ruff's check, the tests).
- ``FIXERS``: deterministic candidates (ruff's fixes, the lint scope, RUF013's fix).
- ``PROVIDERS``: the model servers.
- ``ENGINE``: the fix loop.
- ``ADAPTERS``: how a user reaches it: the CLI, the language server, the demo.

Same-layer imports are fine. An upward import is fixed by moving code down, not by
changing this map; a new module needs a line in ``LAYERS``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from enum import IntEnum
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "agentfix"
NOT_MODULES = ("demo/example",)  # the demo's sample project, copied for the user


class Layer(IntEnum):
    BASE = 0
    CONFIG = 1
    SANDBOX = 2
    CHECKS = 3
    FIXERS = 4
    PROVIDERS = 5
    ENGINE = 6
    ADAPTERS = 7


# Module name pattern (``fnmatch``) -> layer; each module must match exactly one.
LAYERS: dict[str, Layer] = {
    "agentfix": Layer.BASE,
    "agentfix.errors": Layer.BASE,
    "agentfix.cancel": Layer.BASE,
    "agentfix.progress": Layer.BASE,
    "agentfix.source": Layer.BASE,
    "agentfix.source.*": Layer.BASE,
    "agentfix.trace": Layer.BASE,
    "agentfix.trust": Layer.CONFIG,
    "agentfix.settings": Layer.CONFIG,
    "agentfix.project": Layer.CONFIG,
    "agentfix.interpreter": Layer.CONFIG,
    "agentfix.cache": Layer.CONFIG,
    "agentfix.validators": Layer.SANDBOX,
    "agentfix.validators.sandbox*": Layer.SANDBOX,
    "agentfix.validators.cgroups": Layer.SANDBOX,
    "agentfix.validators.launcher": Layer.SANDBOX,
    "agentfix.validators.workspace": Layer.SANDBOX,
    "agentfix.validators.disk_watch": Layer.SANDBOX,
    "agentfix.validators.git_files": Layer.SANDBOX,
    "agentfix.validators.leftovers": Layer.SANDBOX,
    "agentfix.validators.syntax": Layer.CHECKS,
    "agentfix.validators.ruff": Layer.CHECKS,
    "agentfix.validators.ruff_tool": Layer.CHECKS,
    "agentfix.validators.tests": Layer.CHECKS,
    "agentfix.validators.test_*": Layer.CHECKS,
    "agentfix.validators.verdict": Layer.CHECKS,
    "agentfix.validators.diagnostic": Layer.CHECKS,
    "agentfix.validators.pipeline": Layer.CHECKS,
    "agentfix.validators.pytest_plugin*": Layer.CHECKS,
    "agentfix.validators.ruff_fix": Layer.FIXERS,
    "agentfix.validators.lint_scope": Layer.FIXERS,
    "agentfix.validators.implicit_optional": Layer.FIXERS,
    "agentfix.providers": Layer.PROVIDERS,
    "agentfix.providers.*": Layer.PROVIDERS,
    "agentfix.engine": Layer.ENGINE,
    "agentfix.engine.*": Layer.ENGINE,
    "agentfix.cli*": Layer.ADAPTERS,
    "agentfix.__main__": Layer.ADAPTERS,
    "agentfix.lsp": Layer.ADAPTERS,
    "agentfix.lsp.*": Layer.ADAPTERS,
    "agentfix.demo": Layer.ADAPTERS,
    "agentfix.demo.*": Layer.ADAPTERS,
}
LIGHT_COMMANDS = [
    ["-c", "import agentfix.engine.run"],
    ["-m", "agentfix", "fix", "--help"],
    ["-m", "agentfix", "--version"],
]
LANGUAGE_SERVER = ("lsprotocol", "pygls")


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        if any(rel.as_posix().startswith(f"agentfix/{skip}/") for skip in NOT_MODULES):
            continue
        parts = rel.with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _patterns(module: str) -> list[str]:
    return [pattern for pattern in LAYERS if fnmatchcase(module, pattern)]


def _layer(module: str) -> Layer | None:
    patterns = _patterns(module)
    return LAYERS[patterns[0]] if len(patterns) == 1 else None


def _imports(module: str, path: Path) -> set[str]:
    """The agentfix modules ``module`` imports, at any depth (in functions too); ``from
    package import name`` counts as the submodule when ``name`` is one."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {name for name in found if name == "agentfix" or name.startswith("agentfix.")}


def test_every_module_is_in_exactly_one_layer() -> None:
    assert "agentfix.engine.run" in MODULES and "agentfix.source.tree" in MODULES
    problems = []
    for module in MODULES:
        patterns = _patterns(module)
        if not patterns:
            problems.append(
                f"{module} has no layer: add a line for it to LAYERS in tests/test_layers.py "
                f"(bottom to top: {', '.join(layer.name for layer in Layer)})"
            )
        elif len(patterns) > 1:
            problems.append(f"{module} matches several LAYERS patterns: {patterns}")
    assert not problems, "\n".join(problems)


def test_no_import_runs_upward() -> None:
    upward = []
    for module, path in MODULES.items():
        layer = _layer(module)
        if layer is None:
            continue  # reported by the test above
        for target in sorted(_imports(module, path)):
            above = _layer(target)
            if above is not None and above > layer:
                upward.append(
                    f"{module} ({layer.name}) imports {target} ({above.name}): move the code "
                    f"it needs down to {layer.name} or below"
                )
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("args", LIGHT_COMMANDS, ids=lambda args: " ".join(args[-2:]))
def test_the_engine_and_the_cli_load_no_language_server(args: list[str]) -> None:
    """The language server's libraries take a second to import; the CLI and the engine
    never need them (``-X importtime`` lists every module a process imports)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "agentfix" in imported
    assert sorted(imported & set(LANGUAGE_SERVER)) == []
