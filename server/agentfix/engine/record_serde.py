"""How a run's record is written and read back: LangGraph's ``JsonPlusSerializer``, strict.

The serializer writes a dataclass as (module, name, fields) and an enum as (module, name,
value), and on load imports and calls whatever a record names — unless it is given an
allow-list (``allowed_msgpack_modules``), when anything else comes back as its raw
fields. This one allows exactly agentfix's own types that the graph state can hold
(found from ``FixState``'s annotations, so a new field's type is allowed with it) besides
the library's safe list, and builds them itself: msgpack has no tuple, so fields declared
as tuples (``Verdict.checks``, ``Origin.rules``) are tuples again, and a record written by
another version of a type (a field added or gone) still loads.

Secrets never enter the record: a value that contains one (an API key from the
environment or the settings) is written with the secret replaced.
"""

from __future__ import annotations

import dataclasses
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping
from enum import Enum
from functools import cache
from typing import Any

import ormsgpack
from langgraph.checkpoint.serde.jsonplus import EXT_CONSTRUCTOR_KW_ARGS, JsonPlusSerializer

from agentfix.engine.state import FixState

REDACTED = "[secret]"
SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL", re.IGNORECASE)
MIN_SECRET = 8  # shorter values would match ordinary text


@cache
def record_types() -> dict[tuple[str, str], type]:
    """agentfix's dataclasses and enums reachable from the state's annotations."""
    found: dict[tuple[str, str], type] = {}

    def visit(hint: Any) -> None:
        for arg in typing.get_args(hint):
            visit(arg)
        if not isinstance(hint, type) or not hint.__module__.startswith("agentfix."):
            return
        key = (hint.__module__, hint.__name__)
        if key in found or not (dataclasses.is_dataclass(hint) or issubclass(hint, Enum)):
            return
        found[key] = hint
        if dataclasses.is_dataclass(hint):
            for field_hint in _hints(hint).values():
                visit(field_hint)

    for hint in _hints(FixState).values():
        visit(hint)
    return found


def _hints(cls: type) -> dict[str, Any]:
    """The class's resolved annotations; {} when one cannot be resolved (a name imported
    only for type checkers): its fields then load as msgpack gives them."""
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {}


def _is_tuple(hint: Any) -> bool:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_is_tuple(arg) for arg in typing.get_args(hint))
    return hint is tuple or typing.get_origin(hint) is tuple


@cache
def _tuple_fields(cls: type) -> frozenset[str]:
    return frozenset(name for name, h in _hints(cls).items() if _is_tuple(h))


@cache
def _init_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init)


def _build(cls: type, fields: Mapping[str, Any]) -> Any:
    """The dataclass from its recorded fields; a ``SimpleNamespace`` of them when this
    version of the class cannot take them (a required field added since)."""
    tuples = _tuple_fields(cls)
    values = {k: tuple(v) if k in tuples and isinstance(v, list) else v for k, v in fields.items()}
    try:
        return cls(**{k: v for k, v in values.items() if k in _init_fields(cls)})
    except TypeError:
        return types.SimpleNamespace(**values)


def restore_state(values: dict[str, Any]) -> dict[str, Any]:
    """The state's own tuple keys (``suspects``) as tuples again."""
    tuples = _tuple_fields(FixState)
    return {k: tuple(v) if k in tuples and isinstance(v, list) else v for k, v in values.items()}


def secrets_of(settings: Any, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """Values that must not be recorded: the environment's keys, tokens and passwords, and
    settings of such names (an ``api_key``), and a password in the provider's URL."""
    env = os.environ if environ is None else environ
    found = [v for k, v in env.items() if SECRET_NAME.search(k)]
    for name, value in getattr(settings, "__dict__", {}).items():
        if isinstance(value, str) and SECRET_NAME.search(name):
            found.append(value)
    url = getattr(settings, "base_url", None) or ""
    if match := re.match(r"\w+://[^/@:]*:([^/@]+)@", url):
        found.append(match.group(1))
    return tuple(sorted({s for s in found if len(s) >= MIN_SECRET}, key=len, reverse=True))


def redacted(obj: Any, secrets: tuple[str, ...]) -> Any:
    """``obj`` with every secret in its strings replaced (containers and dataclasses
    rebuilt; enums and anything else as they are: a ``StrEnum`` is a ``str``, and
    ``str.replace`` would turn it into a plain one)."""
    if isinstance(obj, Enum):
        return obj
    if isinstance(obj, str):
        for secret in secrets:
            obj = obj.replace(secret, REDACTED)
        return obj
    if isinstance(obj, dict):
        return {redacted(k, secrets): redacted(v, secrets) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset) and not hasattr(obj, "_fields"):
        return type(obj)(redacted(v, secrets) for v in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {
            f.name: redacted(getattr(obj, f.name), secrets)
            for f in dataclasses.fields(obj)
            if f.init
        }
        return dataclasses.replace(obj, **changes)
    return obj


class RecordSerde(JsonPlusSerializer):
    """``JsonPlusSerializer`` that loads agentfix's types as themselves and nothing else
    outside the library's safe list, and keeps ``secrets`` out of what it writes."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        allowed = list(record_types())
        super().__init__(allowed_msgpack_modules=allowed, __unpack_ext_hook__=self._ext)
        self._stock = JsonPlusSerializer(allowed_msgpack_modules=allowed)
        self._secrets = tuple(s for s in secrets if len(s) >= MIN_SECRET)
        self._secret_bytes = tuple(s.encode() for s in self._secrets)

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        kind, data = super().dumps_typed(obj)
        if any(secret in data for secret in self._secret_bytes):
            kind, data = super().dumps_typed(redacted(obj, self._secrets))
        return kind, data

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        value = super().loads_typed(data)
        if isinstance(value, dict) and isinstance(value.get("channel_values"), dict):
            value["channel_values"] = restore_state(value["channel_values"])
        return value

    def _ext(self, code: int, data: bytes) -> Any:
        if code == EXT_CONSTRUCTOR_KW_ARGS:
            module, name, fields = ormsgpack.unpackb(
                data, ext_hook=self._ext, option=ormsgpack.OPT_NON_STR_KEYS
            )
            if cls := record_types().get((module, name)):
                return _build(cls, fields)
        # everything else as the library loads it, under the same allow-list
        return self._stock.loads_typed(("msgpack", ormsgpack.packb(ormsgpack.Ext(code, data))))
