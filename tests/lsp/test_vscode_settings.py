"""The VS Code extension's settings are generated from the server's model and cannot drift.

vscode-client/package.json's ``contributes.configuration.properties`` must equal what
``vscode-client/scripts/gen_settings.py`` generates from ``agentfix.settings.Settings``
right now; fix a failure with ``.venv/bin/python vscode-client/scripts/gen_settings.py --write``.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic.alias_generators import to_camel

from agentfix.lsp.config import EditorConfig
from agentfix.settings import Settings, build_settings

CLIENT = Path(__file__).resolve().parents[2] / "vscode-client"
SCRIPT = CLIENT / "scripts" / "gen_settings.py"
EXTENSION_ONLY = {"agentfix.serverCommand", "agentfix.trace.server"}
# ``str | None = None`` fields: plain text settings whose empty default means "not set"
OPTIONAL_TEXT = ("baseUrl", "testCommand", "fallbackModel", "python")


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_settings", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def properties() -> dict[str, dict[str, Any]]:
    package = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    return package["contributes"]["configuration"]["properties"]


def test_package_json_settings_equal_the_generated_ones(gen, properties) -> None:
    expected = gen.all_properties()
    stale = sorted(
        k for k in expected.keys() | properties.keys() if expected.get(k) != properties.get(k)
    )
    assert not stale, (
        f"package.json settings differ from Settings for {stale}; run "
        "'.venv/bin/python vscode-client/scripts/gen_settings.py --write'"
    )
    assert properties == expected


def test_every_server_field_is_a_setting_and_nothing_else(gen, properties) -> None:
    server_keys = {"agentfix." + to_camel(name) for name in Settings.model_fields}
    assert set(gen.server_properties()) == server_keys
    assert set(properties) - server_keys == EXTENSION_ONLY
    assert set(gen.EXTENSION_PROPERTIES) == EXTENSION_ONLY


def test_settings_carry_type_default_and_description(properties) -> None:
    for key, prop in properties.items():
        assert {"type", "default", "description"} <= prop.keys(), key
        assert prop["description"].strip(), key


def test_mapping_of_types_enums_nullables_and_bounds(properties) -> None:
    assert properties["agentfix.provider"]["enum"] == ["ollama", "openai"]
    assert properties["agentfix.sandbox"]["enum"] == ["auto", "bwrap", "none"]
    assert properties["agentfix.sandbox"]["default"] == "auto"
    for key in OPTIONAL_TEXT:
        assert properties["agentfix." + key]["type"] == "string", key
        assert properties["agentfix." + key]["default"] == "", key
    rounds = properties["agentfix.maxRounds"]
    assert (rounds["type"], rounds["minimum"], rounds["maximum"]) == ("integer", 1, 20)
    timeout = properties["agentfix.timeout"]
    assert (timeout["type"], timeout["exclusiveMinimum"]) == ("number", 0)
    assert properties["agentfix.fixOnSave"] == {
        "type": "boolean",
        "default": False,
        "description": Settings.model_fields["fix_on_save"].description,
        "order": list(Settings.model_fields).index("fix_on_save"),
    }
    assert properties["agentfix.serverCommand"]["type"] == "array"
    assert properties["agentfix.serverCommand"]["default"] == []


def test_the_settings_ui_can_edit_every_setting(properties) -> None:
    """VS Code's Settings editor renders ``["string", "null"]`` as "Edit in settings.json"
    (only nullable integers and numbers get an input box): no union types, and optional
    text is a plain string whose empty default means "not set"."""
    for key, prop in properties.items():
        assert isinstance(prop["type"], str), key
    nullable = {
        "agentfix." + to_camel(name)
        for name, field in Settings.model_fields.items()
        if field.default is None
    }
    assert nullable == {"agentfix." + key for key in OPTIONAL_TEXT}


def test_server_command_counts_in_remote_windows(properties) -> None:
    """``machine``/``machine-overridable`` values are dropped from User settings in a remote
    window (SSH, WSL, containers, code-server) and hidden from its User tab."""
    assert properties["agentfix.serverCommand"]["scope"] == "window"
    for key, prop in properties.items():
        assert prop.get("scope", "window") in ("window", "resource", "language-overridable"), key


def test_defaults_are_the_servers_defaults(properties) -> None:
    """The defaults VS Code shows, sent back as editor settings, give the default Settings
    (an empty optional text is "not set" to the server)."""
    defaults = {
        key.removeprefix("agentfix."): prop["default"]
        for key, prop in properties.items()
        if key not in EXTENSION_ONLY
    }
    config = EditorConfig()
    config.update({"agentfix": defaults})
    assert build_settings(None, config.overrides(), environ={}) == Settings()
    cleared = {key: "" for key in OPTIONAL_TEXT}
    config.update({"agentfix": {"baseUrl": "http://h:1", "python": "/py"}})
    config.update({"agentfix": cleared})
    assert build_settings(None, config.overrides(), environ={}) == Settings()


def test_generator_rejects_what_vscode_cannot_express(gen) -> None:
    with pytest.raises(ValueError, match="no default"):
        gen.property_for("x", {"type": "string", "description": "d"}, {}, 0)
    with pytest.raises(ValueError, match="no description"):
        gen.property_for("x", {"type": "string", "default": ""}, {}, 0)
    union = {"anyOf": [{"type": "string"}, {"type": "integer"}], "default": "", "description": "d"}
    with pytest.raises(ValueError, match="can become a setting"):
        gen.property_for("x", union, {}, 0)

    def optional(kind: str) -> dict[str, Any]:
        return {"anyOf": [{"type": kind}, {"type": "null"}], "default": None, "description": "d"}

    with pytest.raises(ValueError, match="only optional text"):
        gen.property_for("x", optional("integer"), {}, 0)
    text = {"type": "string", "default": "", "description": "d", "order": 3}
    assert gen.property_for("x", optional("string"), {}, 3) == text


def test_check_mode_passes_on_the_committed_package_json() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_check_mode_fails_on_a_stale_package_json(tmp_path: Path) -> None:
    package = json.loads((CLIENT / "package.json").read_text(encoding="utf-8"))
    del package["contributes"]["configuration"]["properties"]["agentfix.model"]
    stale = tmp_path / "package.json"
    stale.write_text(json.dumps(package), encoding="utf-8")
    args = [sys.executable, str(SCRIPT), "--check", "--package-json", str(stale)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "out of date" in done.stderr
    write = [sys.executable, str(SCRIPT), "--write", "--package-json", str(stale)]
    assert subprocess.run(write, capture_output=True, timeout=120).returncode == 0
    assert subprocess.run(args, capture_output=True, timeout=120).returncode == 0
