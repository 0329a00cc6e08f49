"""RUF013's fix, kept to the parameters a bug fix just defaulted to ``None``.

Ruff's B006 fix turns ``tags: list = []`` into ``tags: list = None``; RUF013 makes the
annotation admit ``None``. Run over the whole file, RUF013 would also rewrite every other
implicit ``Optional`` the user wrote on purpose, a change nobody asked for. Ruff cannot
select fixes by location, so agentfix takes RUF013's edits from its JSON output and applies
only those on the annotations whose default the bug fix changed.
"""

from __future__ import annotations

import ast
from typing import Any

from agentfix.source.edits import Edit, apply_edits
from agentfix.source.positions import CodeUnits, LineIndex, Position
from agentfix.source.tree import Function, parse


def _defaults(tree: ast.AST) -> list[list[tuple[ast.arg, ast.expr]]]:
    """Per function, in source order: each parameter that has a default, with it."""
    found: list[list[tuple[ast.arg, ast.expr]]] = []
    for node in ast.walk(tree):
        if isinstance(node, Function):
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


def newly_none_annotations(before: str, after: str) -> set[int]:
    """Where (code-point offsets into ``after``) the annotations start of the parameters
    whose default is ``None`` in ``after`` but was something else in ``before``."""
    old_tree, new_tree = parse(before), parse(after)
    if old_tree is None or new_tree is None:
        return set()
    old, new = _defaults(old_tree), _defaults(new_tree)
    if len(old) != len(new):
        return set()
    index = LineIndex(after)
    targets: set[int] = set()
    for old_params, new_params in zip(old, new, strict=True):
        was = {arg.arg: default for arg, default in old_params}
        for arg, default in new_params:
            if arg.annotation is None or not _is_none(default):
                continue
            if arg.arg not in was or _is_none(was[arg.arg]):
                continue
            node = arg.annotation  # lines as Python counts them, columns in UTF-8 bytes
            targets.add(index.offset(Position(node.lineno - 1, node.col_offset), CodeUnits.UTF8))
    return targets


def _offset(index: LineIndex, location: dict[str, int]) -> int:
    """The code-point offset of ruff's 1-based row and character column."""
    return index.offset(Position(location["row"] - 1, location["column"] - 1), CodeUnits.UTF32)


def apply_at(source: str, diagnostics: list[dict[str, Any]], where: set[int]) -> str:
    """``source`` with the fixes of the ``diagnostics`` (ruff's JSON) that start at ``where``.

    Fixes of several parameters may each add the same ``from typing import Optional``; an
    edit is applied once. Edits that overlap otherwise raise ``ValueError``."""
    index = LineIndex(source)
    chosen: dict[Edit, None] = {}  # in order, each edit once
    for item in diagnostics:
        if _offset(index, item["location"]) not in where:
            continue
        for edit in (item.get("fix") or {}).get("edits", []):
            start, end = _offset(index, edit["location"]), _offset(index, edit["end_location"])
            chosen[Edit(start, end, edit["content"])] = None
    return apply_edits(source, list(chosen))
