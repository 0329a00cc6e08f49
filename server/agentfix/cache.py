"""The user's cache folder for agentfix: one home for what it keeps between runs.

``$AGENTFIX_CACHE_DIR`` when set (tests point it at a temporary folder), else
``$XDG_CACHE_HOME/agentfix``, else ``~/.cache/agentfix``. Nothing here is needed: a
cache that cannot be made only means less is kept.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder (maybe not there yet); see ``ensure_cache_dir`` to make it."""
    env = os.environ if environ is None else environ
    if env.get("AGENTFIX_CACHE_DIR"):
        return Path(env["AGENTFIX_CACHE_DIR"]).expanduser()
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative path is ignored
        return Path(xdg) / "agentfix"
    return Path(env.get("HOME") or Path.home()) / ".cache" / "agentfix"


def ensure_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder, made private to the user if it is new; raises ``OSError``."""
    folder = cache_dir(environ)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
