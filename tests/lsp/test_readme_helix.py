"""The README's Helix snippet, checked without Helix (not packaged for Debian 12, so not run).

The ```toml block under **Helix** in README.md is parsed as a user's ``languages.toml`` and
held against Helix's documented schema (book/src/languages.md, "Language Server
configuration" and "Language configuration"; the serde structs in
helix-core/src/syntax/config.rs): ``[language-server.<name>]`` takes ``command``, ``args``,
``config`` (sent as initializationOptions), ``timeout``, ``environment`` and
``required-root-patterns``; a ``[[language]]`` entry in a user's file is merged by ``name``
with Helix's built-in one and names its servers in ``language-servers``. Its ``config``
must be settings the server accepts and its command must start the server. The README must
keep saying that Helix is not run here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from agentfix.cli import build_parser
from agentfix.settings import build_settings

README = Path(__file__).resolve().parents[2] / "README.md"

# book/src/languages.md: the tables a languages.toml may hold, and their keys.
TOP_LEVEL = {"use-grammars", "language", "grammar", "language-server"}
SERVER_KEYS: dict[str, type] = {
    "command": str,
    "args": list,
    "config": dict,
    "timeout": int,
    "environment": dict,
    "required-root-patterns": list,
}
LANGUAGE_KEYS = {
    "name", "language-id", "scope", "injection-regex", "file-types", "shebangs", "roots",
    "auto-format", "diagnostic-severity", "comment-tokens", "comment-token",
    "block-comment-tokens", "indent", "language-servers", "grammar", "formatter",
    "soft-wrap", "text-width", "rulers", "path-completion", "word-completion",
    "workspace-lsp-roots", "persistent-diagnostic-sources", "rainbow-brackets",
    "code-actions-on-save", "auto-pairs", "debugger",
}  # fmt: skip
FEATURES = {
    "format", "goto-definition", "goto-declaration", "goto-type-definition",
    "goto-reference", "goto-implementation", "signature-help", "hover", "document-highlight",
    "completion", "code-action", "workspace-command", "document-symbols",
    "workspace-symbols", "diagnostics", "rename-symbol", "inlay-hints", "document-colors",
}  # fmt: skip
# Servers Helix's own languages.toml defines for Python (a user may name them unconfigured).
HELIX_PYTHON_SERVERS = {"ty", "ruff", "jedi", "pylsp", "zuban", "pyright", "basedpyright",
                        "pyrefly"}  # fmt: skip


def readme_block(heading: str, language: str) -> tuple[str, str]:
    """The paragraph introducing ``heading`` (a bold line of README.md) and the first fenced
    ``language`` block after it, verbatim."""
    text = README.read_text()
    start = text.index(f"\n{heading}")
    match = re.compile(rf"^```{language}\n(.*?)^```$", re.M | re.S).search(text, start)
    assert match, f"no ```{language} block after {heading} in README.md"
    return text[start : match.start()].strip(), match.group(1)


def helix_languages_toml() -> dict[str, Any]:
    _, block = readme_block("**Helix**", "toml")
    return tomllib.loads(block)


def server_names(entry: dict[str, Any]) -> list[str]:
    """The names of a ``[[language]]``'s ``language-servers`` (strings or tables)."""
    names = []
    for item in entry["language-servers"]:
        if isinstance(item, str):
            names.append(item)
            continue
        assert isinstance(item, dict), item
        assert set(item) <= {"name", "only-features", "except-features"}, item
        assert not ({"only-features", "except-features"} <= set(item)), item
        for key in ("only-features", "except-features"):
            assert set(item.get(key, [])) <= FEATURES, item
        names.append(item["name"])
    return names


def test_readme_says_helix_is_not_run_here() -> None:
    intro, _ = readme_block("**Helix**", "toml")
    assert "not run here" in intro, intro
    assert "languages.toml" in intro and "initializationOptions" in intro, intro


def test_helix_snippet_follows_helix_languages_toml_schema() -> None:
    data = helix_languages_toml()
    assert set(data) <= TOP_LEVEL, set(data) - TOP_LEVEL

    servers = data["language-server"]
    assert isinstance(servers, dict) and "agentfix" in servers
    for name, server in servers.items():
        unknown = set(server) - set(SERVER_KEYS)
        assert not unknown, f"[language-server.{name}] has keys Helix ignores: {unknown}"
        assert isinstance(server.get("command"), str), f"{name}: command is required"
        for key, kind in SERVER_KEYS.items():
            if key in server:
                assert isinstance(server[key], kind), f"{name}.{key}: {server[key]!r}"
        assert all(isinstance(a, str) for a in server.get("args", []))
        assert all(isinstance(v, str) for v in server.get("environment", {}).values())

    languages = data["language"]
    assert isinstance(languages, list), "[[language]] is an array of tables"
    python = [entry for entry in languages if entry.get("name") == "python"]
    assert len(python) == 1, "one [[language]] named python (Helix's built-in name)"
    for entry in languages:
        unknown = set(entry) - LANGUAGE_KEYS
        assert not unknown, f"[[language]] {entry.get('name')} has unknown keys: {unknown}"
        for name in server_names(entry):
            assert name in servers or name in HELIX_PYTHON_SERVERS, f"undefined server {name}"
    assert "agentfix" in server_names(python[0])


def test_helix_snippet_starts_the_server_with_settings_it_accepts() -> None:
    server = helix_languages_toml()["language-server"]["agentfix"]
    assert server["command"] == "python3"  # resolved on PATH, like the other editors'
    assert server["args"][:2] == ["-m", "agentfix"]
    assert build_parser().parse_args(server["args"][2:]).command == "serve"

    config = server["config"]  # Helix sends it as initializationOptions
    settings = build_settings(None, config, environ={})  # raises on an unknown key
    assert settings.provider == config["provider"] == "ollama"
    assert settings.model == config["model"]
    assert settings.base_url == config["baseUrl"]
