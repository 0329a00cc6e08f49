"""Listing code actions: instant (no model, no validation), each carrying ``agentfix.fix``."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

FIX_COMMAND = "agentfix.fix"
CANCEL_COMMAND = "agentfix.cancel"
FIX_ALL_KIND = "source.fixAll.agentfix"
QUICKFIX_TITLE = "Fix with local agent"
FIX_ALL_TITLE = "Fix file with local agent"


def _target(diag: types.Diagnostic) -> dict[str, Any]:
    """A diagnostic as ``agentfix.fix`` takes it (``fix_args.TargetArg``)."""
    return {
        "message": diag.message,
        "line": diag.range.start.line + 1,
        "source": diag.source or "",
        "code": "" if diag.code is None else str(diag.code),
    }


def list_actions(params: types.CodeActionParams, version: int | None) -> list[types.CodeAction]:
    """A quickfix for the diagnostics in range, and a fix-all for the whole file."""
    uri = params.text_document.uri
    only = params.context.only
    want_quickfix = not only or any(
        types.CodeActionKind.QuickFix.value.startswith(str(k)) for k in only
    )
    want_fix_all = not only or any(
        FIX_ALL_KIND.startswith(str(k)) or str(k) == "source" for k in only
    )
    actions: list[types.CodeAction] = []
    diagnostics = list(params.context.diagnostics)
    if want_quickfix and diagnostics:
        targets = [_target(d) for d in diagnostics]
        actions.append(
            types.CodeAction(
                title=QUICKFIX_TITLE,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=diagnostics,
                command=types.Command(
                    title=QUICKFIX_TITLE,
                    command=FIX_COMMAND,
                    arguments=[
                        {
                            "uri": uri,
                            "version": version,
                            "range": _range(params.range),
                            "targets": targets,
                        }
                    ],
                ),
            )
        )
    if want_fix_all:
        actions.append(
            types.CodeAction(
                title=FIX_ALL_TITLE,
                kind=FIX_ALL_KIND,
                command=types.Command(
                    title=FIX_ALL_TITLE,
                    command=FIX_COMMAND,
                    arguments=[{"uri": uri, "version": version, "targets": []}],
                ),
            )
        )
    return actions


def _range(r: types.Range) -> dict[str, dict[str, int]]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }
