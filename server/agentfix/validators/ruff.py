"""Validator 2: ruff, with the user's own configuration (its fixes: ``ruff_fix``).

Ruff reads the candidate on stdin with ``--stdin-filename`` set to the real, absolute path
(a relative one is read from ruff's working folder, the file's own, so ``src/a/m.py`` would
become ``src/a/src/a/m.py`` and miss its per-file settings), so it discovers pyproject.toml /
ruff.toml from the file upward exactly as in the user's shell, and nothing is ever written
to the user's files. Which ruff runs, and with which pre-commit arguments: ``ruff_tool``.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentfix.errors import AgentfixError
from agentfix.project import opened
from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.ruff_tool import bundled_binary, tool_for
from agentfix.validators.verdict import Check, CheckName, CheckStatus


def ruff_binary() -> str:
    """The ruff executable shipped by the ``ruff`` PyPI package (cached, immutable)."""
    return bundled_binary()


def run_ruff(
    args: list[str], source: str, path: Path, timeout: float = 30.0
) -> tuple[int, str, str]:
    """Run the project's ruff on ``source`` as the file at ``path``, with the pre-commit
    hook's arguments that apply: all of them for a run of the project's own rules, only the
    configuration ones for a run that picks its rules (``--select``), none for a run that
    ignores the project's configuration (``--isolated``)."""
    path = opened(path)
    tool = tool_for(path)
    if "--isolated" in args:
        hook: tuple[str, ...] = ()
    elif "--select" in args:
        hook = tool.config_args
    else:
        hook = tool.config_args + tool.rule_args
    proc = subprocess.run(
        [tool.binary, *args[:1], *hook, *args[1:], "--stdin-filename", str(path), "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=path.parent,
        timeout=timeout,
        check=False,
    )
    return proc.returncode, proc.stdout, proc.stderr


def ruff_diagnostics(source: str, path: Path) -> list[Diagnostic]:
    """Diagnostics ruff reports for ``source`` as if it were the file at ``path``."""
    return diagnostics([], source, path)


HINT_RULES = ("B", "PLE", "PLW")  # bugbear and pylint errors/warnings: likely bugs


def ruff_hints(source: str, path: Path) -> list[Diagnostic]:
    """Findings of ruff's bug-finding rules whatever the project selects (``--isolated``).

    They are hints for the model when tests fail (a mutable default argument, a closure
    that does not bind its loop variable), never a validation criterion.
    """
    return diagnostics(["--isolated", "--select", ",".join(HINT_RULES)], source, path)


def diagnostic_items(extra: list[str], source: str, path: Path) -> list[dict[str, Any]]:
    """Ruff's JSON report for ``source``: each diagnostic with its fix's edits, if any."""
    code, out, err = run_ruff(
        ["check", *extra, "--no-fix", "--output-format", "json", "--no-cache", "--quiet"],
        source,
        path,
    )
    if code not in (0, 1):
        raise AgentfixError(f"ruff failed on {path}: {err.strip() or out.strip()}")
    items: list[dict[str, Any]] = json.loads(out or "[]")
    return items


def diagnostics(extra: list[str], source: str, path: Path) -> list[Diagnostic]:
    return [diagnostic_of(item) for item in diagnostic_items(extra, source, path)]


def diagnostic_of(item: dict[str, Any]) -> Diagnostic:
    """One entry of ruff's JSON report as a ``Diagnostic``."""
    location = item.get("location") or {}
    return Diagnostic(
        code=item.get("code") or "syntax",
        message=item.get("message", ""),
        row=location.get("row", 0),
        column=location.get("column", 0),
    )


def added_diagnostics(
    before: Sequence[Diagnostic], after: Sequence[Diagnostic]
) -> list[Diagnostic]:
    """Diagnostics in ``after`` beyond those ``before`` had (matched by code and message)."""
    budget = Counter(d.key() for d in before)
    added: list[Diagnostic] = []
    for diag in after:
        if budget[diag.key()] > 0:
            budget[diag.key()] -= 1
        else:
            added.append(diag)
    return added


def check_ruff(
    source: str,
    path: Path,
    original: Sequence[Diagnostic],
    found: Sequence[Diagnostic] | None = None,
) -> Check:
    """Fail when the candidate has diagnostics the original did not; ``found``: the
    source's diagnostics when already known (the original's: it is linted once)."""
    start = time.monotonic()
    try:
        found = ruff_diagnostics(source, path) if found is None else found
    except (AgentfixError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        return Check(CheckName.RUFF, CheckStatus.ERROR, f"ruff could not run: {exc}", str(exc))
    added = added_diagnostics(original, found)
    details = {
        "count": len(found),
        "added": [str(d) for d in added],
        "diagnostics": [str(d) for d in found],
    }
    seconds = time.monotonic() - start
    if added:
        text = "\n".join(str(d) for d in added)
        return Check(
            CheckName.RUFF,
            CheckStatus.FAIL,
            f"adds {len(added)} ruff diagnostic(s)",
            text,
            seconds,
            details,
            lint=tuple(found),
        )
    return Check(
        CheckName.RUFF,
        CheckStatus.PASS,
        f"{len(found)} diagnostic(s), none added",
        "",
        seconds,
        details,
        lint=tuple(found),
    )
