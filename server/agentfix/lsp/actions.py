"""Listing code actions: instant (no model, no validation), each carrying ``agentfix.fix``.

Three actions, one keystroke away in every editor:

* ``quickfix`` "Fix with local agent" for the diagnostics in range;
* ``refactor.rewrite`` "Fix function `f` with local agent" for the function under the
  cursor, with or without a diagnostic (Ctrl+. lists refactors, not source actions);
* ``source.agentfix`` "Fix file with local agent" for the whole file;

and while a fix of the document runs, instead of them, ``quickfix`` "Cancel the agentfix
fix of x.py": every editor lists code actions, not every editor can run a server command
or cancel a progress (eglot 1.9 shows no progress).

The file action is deliberately not a ``source.fixAll`` kind: editors run every
``source.fixAll.*`` provider on save (VS Code's ``editor.codeActionsOnSave``, the usual
Neovim ``BufWritePre`` snippet), which would start a model fix on each save. Requests the
editor makes by itself (``triggerKind`` Automatic: the lightbulb, a save) get no source or
refactor action at all; only ``fixOnSave`` starts a fix on save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lsprotocol import types

from agentfix.source.enclosing import enclosing_function

FIX_COMMAND = "agentfix.fix"
CANCEL_COMMAND = "agentfix.cancel"
FILE_KIND = "source.agentfix"
FUNCTION_KIND = types.CodeActionKind.RefactorRewrite
QUICKFIX_TITLE = "Fix with local agent"
FILE_TITLE = "Fix file with local agent"
CANCEL_TITLE = "Cancel the agentfix fix of {name}"
KINDS = [types.CodeActionKind.QuickFix, FUNCTION_KIND, FILE_KIND]


def _target(diag: types.Diagnostic) -> dict[str, Any]:
    """A diagnostic as ``agentfix.fix`` takes it (``fix_args.TargetArg``)."""
    return {
        "message": diag.message,
        "line": diag.range.start.line + 1,
        "source": diag.source or "",
        "code": "" if diag.code is None else str(diag.code),
    }


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether the client asked for ``kind`` (``only`` names kinds and their parents)."""
    return not only or any(kind == k or kind.startswith(f"{k}.") for k in map(str, only))


def cancel_title(uri: str) -> str:
    return CANCEL_TITLE.format(name=uri.rstrip("/").rsplit("/", 1)[-1])


def list_actions(
    params: types.CodeActionParams,
    version: int | None,
    lines: Sequence[str],
    running: bool = False,
) -> list[types.CodeAction]:
    """The actions for the range in ``params`` of a document whose text is ``lines``;
    ``running``: a fix of it runs (only its cancel is offered)."""
    uri = params.text_document.uri
    only = params.context.only
    invoked = params.context.trigger_kind != types.CodeActionTriggerKind.Automatic
    actions: list[types.CodeAction] = []
    if running:
        if not (invoked and _wanted(types.CodeActionKind.QuickFix.value, only)):
            return []
        title = cancel_title(uri)
        command = types.Command(title=title, command=CANCEL_COMMAND, arguments=[{"uri": uri}])
        return [types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, command=command)]
    arg: dict[str, Any]
    diagnostics = list(params.context.diagnostics)
    if diagnostics and _wanted(types.CodeActionKind.QuickFix.value, only):
        arg = {"uri": uri, "version": version, "range": _range(params.range),
               "targets": [_target(d) for d in diagnostics]}  # fmt: skip
        actions.append(_action(QUICKFIX_TITLE, types.CodeActionKind.QuickFix, arg, diagnostics))
    if not invoked:
        return actions
    function = enclosing_function(lines, params.range.start.line)
    if function is not None and _wanted(FUNCTION_KIND.value, only):
        title = f"Fix function `{function.name}` with local agent"
        focus = {"name": function.name, "line": function.line + 1}
        arg = {"uri": uri, "version": version, "targets": [], "function": focus}
        actions.append(_action(title, FUNCTION_KIND, arg))
    if _wanted(FILE_KIND, only):
        arg = {"uri": uri, "version": version, "targets": []}
        actions.append(_action(FILE_TITLE, FILE_KIND, arg))
    return actions


def _action(
    title: str,
    kind: str,
    argument: dict[str, Any],
    diagnostics: list[types.Diagnostic] | None = None,
) -> types.CodeAction:
    command = types.Command(title=title, command=FIX_COMMAND, arguments=[argument])
    return types.CodeAction(title=title, kind=kind, diagnostics=diagnostics, command=command)


def _range(r: types.Range) -> dict[str, dict[str, int]]:
    return {
        "start": {"line": r.start.line, "character": r.start.character},
        "end": {"line": r.end.line, "character": r.end.character},
    }
