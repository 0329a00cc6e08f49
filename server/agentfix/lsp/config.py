"""Editor settings (initializationOptions, didChangeConfiguration, workspace/configuration)
layered over pyproject.

The editor sends the settings model's keys in camelCase (``maxRounds``, ``baseUrl``);
they override the project's ``[tool.agentfix]``. Settings *merge*: a later message changes
only the keys it names, so a client that sends an empty section right after connecting
(eglot sends ``{"settings": {}}``) does not wipe what it sent at start. A key sent as null,
or as an empty string where the setting is optional text (VS Code's Settings UI cannot
clear a string), returns to its default. Where the client answers
``workspace/configuration``, the section it holds for the document (``pulled``) goes on
top, per fix. Bad settings are rejected as a whole with a message naming the key, and the
previous settings stay in force. ``workspaceTrusted`` (sent by the VS Code extension,
which runs only in trusted workspaces) is the editor's trust decision: the project's own
keys that run commands then count (see ``trust``).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from agentfix.errors import ConfigError
from agentfix.project import find_root
from agentfix.settings import Settings, build_settings, normalize_keys

log = logging.getLogger(__name__)

UNSET: Any = None  # an override that returns a key to its default
CLIENT_ONLY = ("serverCommand", "trace")  # the VS Code extension's own keys in the section
PULL_WAIT = 2.0  # seconds a fix waits for the client's workspace/configuration answer


class EditorConfig:
    """The editor's overrides merged so far; lock-guarded (read from worker threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._overrides: dict[str, Any] = {}
        self._trusted: bool | None = None  # the editor's trust; None: the user's record

    def update(self, raw: object) -> None:
        """Merge the keys ``raw`` names; raises ConfigError (and keeps the old settings)
        if the result is invalid. None, ``{}`` and a message without an ``agentfix``
        section where one is expected change nothing."""
        changes, trusted = _section(raw)
        with self._lock:
            merged = _merge(self._overrides, changes)
        build_settings(None, merged, environ={})  # validate now, report now
        with self._lock:
            self._overrides = _merge(self._overrides, changes)
            if trusted is not None:
                self._trusted = trusted

    def overrides(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._overrides)

    def settings_for(self, path: Path, pulled: object = None) -> Settings:
        """Settings for one file: its project's pyproject, environment, the editor's merged
        overrides, then ``pulled`` (the client's ``workspace/configuration`` answer for
        this document, which may be None)."""
        changes, _ = _section(pulled, pulled=True)
        with self._lock:
            trusted = self._trusted
            overrides = _merge(self._overrides, changes)
        return build_settings(find_root(path), overrides, trusted=trusted)


def _section(raw: object, pulled: bool = False) -> tuple[dict[str, Any], bool | None]:
    """The changes (field name -> value, ``UNSET`` to drop) and the trust decision a
    settings message carries (``pulled``: the answer to workspace/configuration, which is
    the section itself); ConfigError naming the problem when it is malformed."""
    if raw is None:
        return {}, None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"agentfix settings must be an object, got {type(raw).__name__}")
    section = raw if pulled else raw.get("agentfix", raw)
    if section is None:
        return {}, None
    if not isinstance(section, Mapping):
        raise ConfigError("the 'agentfix' settings section must be an object")
    values = {k: v for k, v in section.items() if k not in CLIENT_ONLY}
    trusted = values.pop("workspaceTrusted", None)
    if trusted is not None and not isinstance(trusted, bool):
        raise ConfigError(f"workspaceTrusted must be true or false, got {trusted!r}")
    changes = normalize_keys(values, "editor settings (agentfix.*)")
    for name, value in changes.items():
        if value == "" and Settings.model_fields[name].default is None:
            changes[name] = UNSET  # a cleared text box: the setting is not set
    return changes, trusted


def _merge(overrides: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(overrides)
    for name, value in changes.items():
        if value is UNSET:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


async def pull_settings(server: LanguageServer, uri: str) -> object:
    """The client's ``agentfix`` section for the document at ``uri`` (its folder's
    settings), where it answers ``workspace/configuration``; None otherwise or when it
    does not answer within ``PULL_WAIT`` (the fix then goes on with what it has)."""
    caps = server.client_capabilities
    if not (caps.workspace and caps.workspace.configuration):
        return None
    item = types.ConfigurationItem(scope_uri=uri, section="agentfix")
    try:
        answer = await asyncio.wait_for(
            server.workspace_configuration_async(types.ConfigurationParams(items=[item])),
            PULL_WAIT,
        )
    except Exception as exc:  # a timeout, or an error the client answered
        log.warning("workspace/configuration for %s was not answered: %r", uri, exc)
        return None
    return answer[0] if answer else None
