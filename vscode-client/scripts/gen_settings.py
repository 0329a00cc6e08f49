"""Generate the VS Code settings of agentfix from the server's settings model.

``agentfix.settings.Settings`` is the single source of truth: every field becomes an
``agentfix.<camelCase>`` property of ``contributes.configuration.properties`` in
``vscode-client/package.json``, with its type, default, bounds and description. The two
extension-only settings (how to start the server, and LSP tracing) are defined here too, so
the whole ``properties`` object is generated and ``tests/lsp/test_vscode_settings.py`` can assert
that package.json equals it exactly.

Run with the project's virtual environment (it imports agentfix):

    .venv/bin/python vscode-client/scripts/gen_settings.py           # print the properties
    .venv/bin/python vscode-client/scripts/gen_settings.py --write   # update package.json
    .venv/bin/python vscode-client/scripts/gen_settings.py --check   # exit 1 if out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agentfix.settings import Settings

PACKAGE_JSON = Path(__file__).resolve().parent.parent / "package.json"
PREFIX = "agentfix."

# JSON-schema keywords that VS Code's settings editor understands and we copy as they are.
COPIED_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
)

# Settings of the extension itself: never sent to the server.
EXTENSION_PROPERTIES: dict[str, dict[str, Any]] = {
    PREFIX + "serverCommand": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Command that starts the agentfix language server, as a list, e.g. "
        '["/path/to/python", "-m", "agentfix", "serve"]. Empty: the interpreter selected in '
        "the Python extension (else python3) runs '-m agentfix serve'.",
        # "window", not "machine"/"machine-overridable": in a remote window (SSH, WSL,
        # containers, code-server) VS Code drops machine-scoped values from the User
        # settings and the Settings editor's User tab hides them; the user's command must
        # count wherever the window is.
        "scope": "window",
        "order": 100,
    },
    PREFIX + "trace.server": {
        "type": "string",
        "enum": ["off", "messages", "verbose"],
        "default": "off",
        "description": "Detail of the LSP messages between VS Code and the agentfix server that "
        "the agentfix log shows when its log level is Trace ('Developer: Set Log Level...' > "
        "agentfix): 'messages' or 'verbose'; 'off' traces messages at that level too.",
        "scope": "window",
        "order": 101,
    },
}


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    name = ref.rsplit("/", 1)[-1]
    return {**defs[name], **{k: v for k, v in schema.items() if k != "$ref"}}


def property_for(name: str, schema: dict[str, Any], defs: dict[str, Any], order: int) -> dict:
    """One VS Code setting from one field's JSON schema."""
    schema = _resolve(schema, defs)
    nullable = False
    base = schema
    if "anyOf" in schema:
        variants = [_resolve(s, defs) for s in schema["anyOf"]]
        others = [s for s in variants if s.get("type") != "null"]
        nullable = len(others) < len(variants)
        if len(others) != 1:
            raise ValueError(f"setting {name!r}: only 'T' or 'T | None' can become a setting")
        base = others[0]
    if "const" in base:  # Literal with a single value
        base = {**base, "enum": [base["const"]]}
    kind = base.get("type")
    if kind is None and "enum" in base:
        kinds = {type(v).__name__ for v in base["enum"]}
        kind = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}.get(
            kinds.pop() if len(kinds) == 1 else ""
        )
    if kind not in ("string", "integer", "number", "boolean"):
        raise ValueError(f"setting {name!r}: unsupported type {kind!r}")
    if "default" not in schema:
        raise ValueError(f"setting {name!r} has no default: every setting needs one")
    if not schema.get("description"):
        raise ValueError(f"setting {name!r} has no description: give its Field one")
    default = schema["default"]
    if nullable:
        # VS Code's Settings UI cannot edit a ["string", "null"] setting (it shows "Edit in
        # settings.json"), nor set one back to null: optional text is a plain string whose
        # empty default means "not set" (the extension and the server both read "" so).
        if kind != "string" or default is not None or "enum" in base:
            raise ValueError(
                f"setting {name!r}: only optional text ('str | None = None') can be optional"
            )
        default = ""
    prop: dict[str, Any] = {"type": kind}
    if "enum" in base:
        prop["enum"] = list(base["enum"])
    prop["default"] = default
    for keyword in COPIED_KEYWORDS:
        if keyword in base:
            prop[keyword] = base[keyword]
    prop["description"] = schema["description"]
    prop["order"] = order
    return prop


def server_properties() -> dict[str, dict[str, Any]]:
    """The settings the server reads, keyed ``agentfix.<camelCase>``, in model order."""
    schema = Settings.model_json_schema(by_alias=True)
    defs = schema.get("$defs", {})
    return {
        PREFIX + name: property_for(name, field, defs, order)
        for order, (name, field) in enumerate(schema["properties"].items())
    }


def all_properties() -> dict[str, dict[str, Any]]:
    """Everything package.json's ``contributes.configuration.properties`` must hold."""
    return {**server_properties(), **EXTENSION_PROPERTIES}


def render(package: dict[str, Any]) -> str:
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="update package.json in place")
    mode.add_argument("--check", action="store_true", help="exit 1 if package.json is stale")
    parser.add_argument("--package-json", type=Path, default=PACKAGE_JSON)
    args = parser.parse_args(argv)
    properties = all_properties()
    if not (args.write or args.check):
        sys.stdout.write(json.dumps(properties, indent=2, ensure_ascii=False) + "\n")
        return 0
    package = json.loads(args.package_json.read_text(encoding="utf-8"))
    configuration = package.setdefault("contributes", {}).setdefault("configuration", {})
    if args.check:
        if configuration.get("properties") == properties:
            return 0
        print(
            f"{args.package_json}: settings are out of date; run "
            f"'.venv/bin/python vscode-client/scripts/gen_settings.py --write'",
            file=sys.stderr,
        )
        return 1
    configuration.setdefault("title", "agentfix")
    configuration["properties"] = properties
    args.package_json.write_text(render(package), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
