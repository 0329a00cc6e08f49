"""The arguments of ``agentfix.fix`` and ``agentfix.cancel``, checked once at the edge.

A malformed request is answered with InvalidParams before any state changes; past this
module the server sees a small frozen value, never the client's raw JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pygls.exceptions import JsonRpcInvalidParams


class FixArgs(BaseModel):
    """The argument of ``agentfix.fix`` as code actions build it (``actions.py``); what
    else they carry (the quickfix's range) is ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    uri: str
    version: int | None = None
    targets: list[str] = []


def parse_fix_args(raw: tuple[Any, ...]) -> FixArgs:
    """The one ``{uri, version, targets}`` argument, or InvalidParams saying what is wrong."""
    if len(raw) != 1:
        raise JsonRpcInvalidParams.of(
            ValueError(f"agentfix.fix takes one argument {{uri, version}}, got {len(raw)}")
        )
    try:
        return FixArgs.model_validate(raw[0])
    except ValidationError as exc:
        raise JsonRpcInvalidParams.of(ValueError(f"bad agentfix.fix argument: {exc}")) from exc


def cancel_target(raw: tuple[Any, ...]) -> str | None:
    """The document ``agentfix.cancel`` names; None (no or no usable argument): all fixes."""
    uri = raw[0].get("uri") if raw and isinstance(raw[0], dict) else None
    return str(uri) if uri else None
