"""One typed settings model shared by the CLI, the language server and the editors.

Sources, later wins: ``[tool.agentfix]`` in the project's pyproject.toml, ``AGENTFIX_*``
environment variables, then explicit overrides (CLI flags or editor settings). Keys are
accepted in snake_case, kebab-case (pyproject style) or camelCase (editor style). The
project's keys that run commands or weaken isolation need the user's trust (``trust``).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic.alias_generators import to_camel

from agentfix.errors import ConfigError
from agentfix.trust import guarded, is_trusted

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_OPENAI_URL = "http://127.0.0.1:8080/v1"


class Settings(BaseModel):
    """Every knob of agentfix. Field docs double as the editor settings' descriptions."""

    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True
    )

    provider: Literal["ollama", "openai"] = Field(
        "ollama", description="LLM provider: 'ollama' or 'openai' (any OpenAI-compatible server)."
    )
    model: str = Field("qwen2.5-coder:1.5b", min_length=1, description="Model name.")
    base_url: str | None = Field(
        None,
        description="Provider URL. Default: OLLAMA_HOST or http://127.0.0.1:11434 for ollama, "
        "http://127.0.0.1:8080/v1 for openai.",
    )
    test_command: str | None = Field(
        None,
        description="Command that runs the project's tests, e.g. 'python -m pytest -q tests'. "
        "Default: pytest when the project has pytest configuration or tests.",
    )
    max_rounds: int = Field(3, ge=1, le=20, description="Rounds of generate/validate/feedback.")
    candidates: int = Field(2, ge=1, le=8, description="Candidates asked for per round.")
    timeout: float = Field(
        300.0, gt=0, le=86400, description="Wall-clock budget of a whole fix, in seconds."
    )
    test_timeout: float = Field(
        60.0, gt=0, le=3600, description="Time limit of one test run, in seconds."
    )
    request_timeout: float = Field(
        120.0,
        gt=0,
        le=3600,
        description="Time limit of one model answer, in seconds: from its first streamed "
        "token to its end, and of each wait for the server before it.",
    )
    parallel_requests: int = Field(
        0,
        ge=0,
        le=8,
        description="Model requests in flight at once: 0 = all candidates of a round. "
        "Set 1 for a server that cannot serve concurrent requests: candidates are then "
        "asked one at a time and a round stops at the first validated one.",
    )
    fix_on_save: bool = Field(False, description="Fix a file in the background when saved.")
    fallback_model: str | None = Field(
        None, description="Model tried for one more set of rounds when the main model fails."
    )
    python: str | None = Field(
        None,
        description="Interpreter that runs the tests. Default: the project's .venv/venv, "
        "else the interpreter running agentfix.",
    )
    temperature: float = Field(
        0.2, ge=0, le=2, description="Temperature of the first candidate; others spread above."
    )
    memory_limit_mb: int = Field(
        4096,
        ge=64,
        le=16 * 1024 * 1024,
        description="Memory limit of a test run, in MiB: all its processes together where a "
        "memory cgroup can be made, and each process's address space.",
    )
    max_processes: int = Field(
        256,
        ge=8,
        le=4_194_304,  # the kernel's largest pid_max: more is refused
        description="Process limit of a test run (fork-bomb guard).",
    )
    sandbox: Literal["auto", "bwrap", "none"] = Field(
        "auto",
        description="Test isolation: 'bwrap' (no network, own PID namespace), 'none', "
        "or 'auto' (bwrap when it works here).",
    )
    record_runs: bool = Field(
        True,
        description="Record each fix step by step in the user's cache folder "
        "(~/.cache/agentfix), to read back with 'agentfix runs show' or 'agentfix: Show last "
        "run of this file'. The oldest runs are pruned; no API keys or environment are kept.",
    )

    _ignored_project_keys: tuple[str, ...] = PrivateAttr(default=())

    @property
    def ignored_project_keys(self) -> tuple[str, ...]:
        """Keys of the project's ``[tool.agentfix]`` left out: the project is not trusted."""
        return self._ignored_project_keys

    def resolved_base_url(self) -> str:
        """The URL the provider is reached at, after defaults and OLLAMA_HOST."""
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.provider == "ollama":
            host = os.environ.get("OLLAMA_HOST", "").strip()
            if host:
                if "://" not in host:
                    host = "http://" + host
                return host.rstrip("/")
            return DEFAULT_OLLAMA_URL
        return DEFAULT_OPENAI_URL


FIELD_NAMES = tuple(Settings.model_fields)


def _snake(key: str) -> str:
    key = key.replace("-", "_")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def normalize_keys(raw: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Map any accepted key spelling to the field name; unknown keys are an error."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = _snake(str(key))
        if name not in Settings.model_fields:
            valid = ", ".join(FIELD_NAMES)
            raise ConfigError(f"unknown setting '{key}' in {source}. Valid settings: {valid}.")
        out[name] = value
    return out


def read_pyproject(project_root: Path | None) -> dict[str, Any]:
    """The ``[tool.agentfix]`` table of the project's pyproject.toml, normalized."""
    if project_root is None:
        return {}
    path = project_root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}. Fix the file.") from exc
    table = data.get("tool", {}).get("agentfix", {})
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.agentfix] in {path} must be a table.")
    return normalize_keys(table, f"[tool.agentfix] of {path}")


def read_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``AGENTFIX_<FIELD>`` variables, e.g. AGENTFIX_MODEL or AGENTFIX_MAX_ROUNDS."""
    env = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for name in FIELD_NAMES:
        value = env.get("AGENTFIX_" + name.upper())
        if value is not None and value != "":
            out[name] = value
    return out


def build_settings(
    project_root: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    trusted: bool | None = None,
) -> Settings:
    """Merge pyproject, environment and overrides into validated settings.

    The project's keys that run commands or weaken isolation count only when the project
    is trusted (``trusted``: the editor's decision; None: the user's trust record, see
    ``trust``); otherwise they are left out and named in ``ignored_project_keys``."""
    project = read_pyproject(project_root)
    user = read_environment(environ)
    if overrides:
        user.update(
            {k: v for k, v in normalize_keys(overrides, "settings").items() if v is not None}
        )
    needs = guarded(project)
    ignored: tuple[str, ...] = ()
    if needs and project_root is not None:
        ok = trusted if trusted is not None else is_trusted(project_root, needs, environ)
        if not ok:
            project = {k: v for k, v in project.items() if k not in needs}
            ignored = tuple(k for k in needs if k not in user)
    merged = {**project, **user}
    try:
        settings = Settings.model_validate(merged, by_name=True)
        settings._ignored_project_keys = ignored
        return settings
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}"
            f" (got {err.get('input')!r})"
            for err in exc.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from exc
