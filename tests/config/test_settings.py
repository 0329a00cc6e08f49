"""One settings model: pyproject, then environment, then flags; clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentfix.errors import ConfigError
from agentfix.settings import build_settings


def test_layers_override_in_order(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.agentfix]\nmodel = "from-pyproject"\nmax-rounds = 5\ncandidates = 3\n'
    )
    env = {"AGENTFIX_MODEL": "from-env", "AGENTFIX_CANDIDATES": "4"}
    settings = build_settings(tmp_path, {"candidates": 1}, environ=env)
    assert settings.model == "from-env"
    assert settings.max_rounds == 5
    assert settings.candidates == 1


def test_editor_style_camel_case_keys_are_accepted() -> None:
    settings = build_settings(None, {"baseUrl": "http://h:1", "testCommand": "pytest -q"}, {})
    assert settings.resolved_base_url() == "http://h:1"
    assert settings.test_command == "pytest -q"


def test_unknown_key_names_the_key_and_the_source(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.agentfix]\nmax-round = 2\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'max-round'.*pyproject\.toml"):
        build_settings(tmp_path, environ={})


def test_bad_value_names_the_key_and_the_value() -> None:
    with pytest.raises(ConfigError, match=r"candidates.*got 0"):
        build_settings(None, {"candidates": 0}, {})
    with pytest.raises(ConfigError, match="provider"):
        build_settings(None, {"provider": "cloud"}, {})


def test_broken_pyproject_is_reported(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.agentfix\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        build_settings(tmp_path, environ={})


def test_ollama_host_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", "10.0.0.5:11434")
    assert build_settings(None, environ={}).resolved_base_url() == "http://10.0.0.5:11434"
    openai = build_settings(None, {"provider": "openai"}, {})
    assert openai.resolved_base_url() == "http://127.0.0.1:8080/v1"
