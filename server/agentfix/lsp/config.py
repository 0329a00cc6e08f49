"""Editor settings (initializationOptions, didChangeConfiguration) layered over pyproject.

The editor sends the settings model's keys in camelCase (``maxRounds``, ``baseUrl``);
they override the project's ``[tool.agentfix]``. Bad settings are rejected as a whole with
a message naming the key, and the previous settings stay in force. ``workspaceTrusted``
(sent by the VS Code extension, which runs only in trusted workspaces) is the editor's
trust decision: the project's own keys that run commands then count (see ``trust``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentfix.errors import ConfigError
from agentfix.project import find_root
from agentfix.settings import Settings, build_settings, normalize_keys


class EditorConfig:
    """The latest valid editor overrides; lock-guarded (read from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._overrides: dict[str, Any] = {}
        self._trusted: bool | None = None  # the editor's trust; None: the user's record

    def update(self, raw: object) -> None:
        """Replace the overrides; raises ConfigError (and keeps the old ones) if invalid."""
        if raw is None:
            return
        if not isinstance(raw, Mapping):
            raise ConfigError(f"agentfix settings must be an object, got {type(raw).__name__}")
        section = raw.get("agentfix", raw)
        if not isinstance(section, Mapping):
            raise ConfigError("the 'agentfix' settings section must be an object")
        cleaned = {k: v for k, v in section.items() if v is not None}
        trusted = cleaned.pop("workspaceTrusted", None)
        if trusted is not None and not isinstance(trusted, bool):
            raise ConfigError(f"workspaceTrusted must be true or false, got {trusted!r}")
        overrides = normalize_keys(cleaned, "editor settings (agentfix.*)")
        build_settings(None, overrides, environ={})  # validate now, report now
        with self._lock:
            self._overrides = overrides
            if trusted is not None:
                self._trusted = trusted

    def overrides(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._overrides)

    def settings_for(self, path: Path) -> Settings:
        """Settings for one file: its project's pyproject, environment, then the editor's."""
        with self._lock:
            trusted = self._trusted
        return build_settings(find_root(path), self.overrides(), trusted=trusted)
