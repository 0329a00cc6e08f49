"""The arguments of ``agentfix.fix`` and ``agentfix.cancel``, checked once at the edge.

A malformed request is answered with InvalidParams before any state changes; past this
module the server sees a small frozen value, never the client's raw JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pygls.exceptions import JsonRpcInvalidParams

from agentfix.engine.request import Target


class TargetArg(BaseModel):
    """One diagnostic to fix, as ``actions.py`` sends it (a plain string from another
    client is its message)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    message: str
    line: int | None = None
    source: str = ""
    code: str = ""


class FunctionArg(BaseModel):
    """The function the user points at (the refactor action's): name and 1-based line."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    name: str
    line: int


class FixArgs(BaseModel):
    """The argument of ``agentfix.fix`` as code actions build it (``actions.py``); what
    else they carry (the quickfix's range) is ignored. ``wait``: answer with the result
    when the fix ends, for scripts (editors get an answer at once, see ``fixes.py``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    uri: str
    version: int | None = None
    targets: list[TargetArg | str] = []
    function: FunctionArg | None = None
    wait: bool = False

    def focus(self) -> Target | None:
        """The function the user points at, as the engine takes it."""
        if self.function is None:
            return None
        name = self.function.name
        return Target(f"the user asks to fix the function `{name}`", self.function.line)

    def diagnostics(self) -> tuple[Target, ...]:
        """The targets as the engine takes them."""
        return tuple(
            Target(t) if isinstance(t, str) else Target(t.message, t.line, t.source, t.code)
            for t in self.targets
        )


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
