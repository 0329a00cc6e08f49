"""Which projects may choose settings that run commands or weaken isolation.

A cloned repository is not the user: its ``[tool.agentfix]`` could run a command of its
choosing on every save (``fix-on-save``, ``test-command``, ``python``), outside any
sandbox (``sandbox = "none"``), or send the code elsewhere (``base-url``). Those keys
count only for a project the user trusts — a record made with ``agentfix trust PATH``
(any editor), or the editor's own trust (VS Code's workspace trust) — and only while they
are what was trusted: a change to them needs trusting again. The user's own settings
(environment, CLI flags, editor settings) always count.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

GUARDED = (
    "test_command",
    "python",
    "sandbox",
    "fix_on_save",
    "base_url",
    "provider",
    "memory_limit_mb",
    "max_processes",
)
_lock = threading.Lock()  # one writer of the record file per process


def guarded(table: Mapping[str, Any]) -> dict[str, Any]:
    """The keys of a project's table that need trust."""
    return {k: table[k] for k in GUARDED if k in table}


def fingerprint(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(dict(values), sort_keys=True).encode()).hexdigest()


def record_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$AGENTFIX_TRUST_FILE``, else ``$XDG_CONFIG_HOME/agentfix/trusted-projects.json``."""
    env = os.environ if environ is None else environ
    if env.get("AGENTFIX_TRUST_FILE"):
        return Path(env["AGENTFIX_TRUST_FILE"])
    config = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(config) / "agentfix" / "trusted-projects.json"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def is_trusted(
    root: Path, values: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> bool:
    """The user trusted this project with exactly these values."""
    return _read(record_path(environ)).get(str(root.resolve())) == fingerprint(values)


def trust(root: Path, values: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Path:
    """Record that the user trusts ``root`` with ``values``; returns the record's path."""
    return _write(root, fingerprint(values), environ)


def revoke(root: Path, environ: Mapping[str, str] | None = None) -> Path:
    return _write(root, None, environ)


def _write(root: Path, digest: str | None, environ: Mapping[str, str] | None) -> Path:
    path = record_path(environ)
    with _lock:
        records = _read(path)
        if digest is None:
            records.pop(str(root.resolve()), None)
        else:
            records[str(root.resolve())] = digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".trusted-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(records, fh, indent=1, sort_keys=True)
        os.replace(tmp, path)
    return path
