"""The deterministic candidates: ruff's fixes, with the user's own configuration.

Ruff runs as for its check (``validators.ruff``): the candidate on stdin as the file at its
real path, so the project's settings apply and nothing is written to the user's files.
"""

from __future__ import annotations

from pathlib import Path

from agentfix.errors import AgentfixError
from agentfix.validators.implicit_optional import apply_at, newly_none_annotations
from agentfix.validators.ruff import diagnostic_items, run_ruff

# Hint rules whose (unsafe) fix restores the intended behaviour; other fixable hints
# (``zip(strict=)``, ``stacklevel=``) only restate it, so they are never worth a candidate.
BUG_FIX_RULES = ("B006", "PLW0245", "PLW1507")


def ruff_bug_fix(source: str, path: Path, codes: list[str]) -> str:
    """Ruff's fixes, unsafe ones included, for the bug rules in ``codes`` (a mutable default
    becomes ``None`` plus a fresh value per call), then RUF013's fix on just those parameters
    so their annotations admit ``None``. The project's configuration still applies (target
    version, ignores, ``unfixable``); ``--select`` only narrows the rules. It is a candidate
    like any other: the tests decide."""
    fixed = _fixed(["--select", ",".join(codes), "--unsafe-fixes"], source, path)
    where = newly_none_annotations(source, fixed)
    if not where:
        return fixed
    found = diagnostic_items(["--select", "RUF013", "--unsafe-fixes"], fixed, path)
    return apply_at(fixed, found, where)


def ruff_unsafe_fix(source: str, path: Path) -> str:
    """Ruff's fixes for the project's own rules, unsafe ones included (``== None`` becomes
    ``is None``, an unused variable's assignment goes). Unsafe means they may change
    behaviour, so agentfix offers them only where the project's tests can judge them; rules
    the project marks ``unfixable`` stay untouched."""
    return _fixed(["--unsafe-fixes"], source, path)


def ruff_safe_fix(source: str, path: Path) -> str:
    """Ruff's own safe fixes applied to ``source``; the deterministic round-1 candidate."""
    return _fixed(["--no-unsafe-fixes"], source, path)


def _fixed(extra: list[str], source: str, path: Path) -> str:
    """``source`` with ruff's fixes applied (``extra`` picks which); never writes a file."""
    code, out, err = run_ruff(
        ["check", *extra, "--fix", "--no-cache", "--quiet", "--exit-zero"], source, path
    )
    if code != 0:
        raise AgentfixError(f"ruff --fix failed on {path}: {err.strip()}")
    return out
