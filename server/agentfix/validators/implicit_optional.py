"""RUF013's fix, kept to the parameters a bug fix just defaulted to ``None``.

Ruff's B006 fix turns ``tags: list = []`` into ``tags: list = None``; RUF013 makes the
annotation admit ``None``. Run over the whole file, RUF013 would also rewrite every other
implicit ``Optional`` the user wrote on purpose, a change nobody asked for. Ruff cannot
select fixes by location, so agentfix takes RUF013's edits from its JSON output and applies
only those on the annotations whose default the bug fix changed.
"""

from __future__ import annotations

import ast
import re
from typing import Any

Edit = tuple[int, int, int, int, str]  # start row, start column, end row, end column, text

# Lines as Python and ruff count them: ``str.splitlines`` also breaks at form feeds and
# other separators that may sit inside a line of code, which would shift every row after.
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?!\n)")


def _lines(text: str) -> list[str]:
    """``text`` split after each ``\\n``, ``\\r\\n`` or ``\\r``, line ends kept."""
    return _LINE_END.split(text)


def _defaults(tree: ast.AST) -> list[list[tuple[ast.arg, ast.expr]]]:
    """Per function, in source order: each parameter that has a default, with it."""
    found: list[list[tuple[ast.arg, ast.expr]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            pairs = list(
                zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
            )
            pairs += [
                (a, d)
                for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                if d is not None
            ]
            found.append(pairs)
    return found


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def newly_none_annotations(before: str, after: str) -> set[tuple[int, int]]:
    """Where (row, 1-based character column, as ruff reports) the annotations start of the
    parameters whose default is ``None`` in ``after`` but was something else in ``before``."""
    try:
        old, new = _defaults(ast.parse(before)), _defaults(ast.parse(after))
    except SyntaxError:
        return set()
    if len(old) != len(new):
        return set()
    lines = _lines(after)
    targets: set[tuple[int, int]] = set()
    for old_params, new_params in zip(old, new, strict=True):
        was = {arg.arg: default for arg, default in old_params}
        for arg, default in new_params:
            if arg.annotation is None or not _is_none(default):
                continue
            if arg.arg not in was or _is_none(was[arg.arg]):
                continue
            node = arg.annotation
            prefix = lines[node.lineno - 1].encode()[: node.col_offset].decode()
            targets.add((node.lineno, len(prefix) + 1))
    return targets


def _edits(item: dict[str, Any]) -> list[Edit]:
    fix = item.get("fix") or {}
    return [
        (
            edit["location"]["row"],
            edit["location"]["column"],
            edit["end_location"]["row"],
            edit["end_location"]["column"],
            edit["content"],
        )
        for edit in fix.get("edits", [])
    ]


def apply_at(source: str, diagnostics: list[dict[str, Any]], where: set[tuple[int, int]]) -> str:
    """``source`` with the fixes of the ``diagnostics`` (ruff's JSON) that start at ``where``.

    Fixes of several parameters may each add the same ``from typing import Optional``; an
    edit is applied once, and one that overlaps an edit already applied is dropped."""
    chosen: set[Edit] = set()
    for item in diagnostics:
        location = item.get("location", {})
        if (location.get("row"), location.get("column")) in where:
            chosen.update(_edits(item))
    lines = _lines(source)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(row: int, column: int) -> int:
        return starts[min(row, len(starts)) - 1] + column - 1

    text, limit = source, len(source) + 1
    for row, col, end_row, end_col, content in sorted(chosen, reverse=True):
        start, end = offset(row, col), offset(end_row, end_col)
        if end > limit:
            continue
        text, limit = text[:start] + content + text[end:], start
    return text
