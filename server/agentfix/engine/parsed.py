"""Parsing shared by merge, outline and test focus: a parse that never raises (model
answers and user files may not parse, or be too deep to) and a definition's line span
with its decorators (what a splice replaces and a prompt shows)."""

from __future__ import annotations

import ast
from typing import TypeGuard

Function = ast.FunctionDef | ast.AsyncFunctionDef
UNPARSABLE = (SyntaxError, ValueError, MemoryError, RecursionError)


def parse(source: str) -> ast.Module | None:
    """The module's tree, or None when it does not parse."""
    try:
        return ast.parse(source)
    except UNPARSABLE:
        return None


def span(node: ast.stmt) -> tuple[int, int]:
    """0-based [start, end) line span of a statement, decorators included."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return start - 1, node.end_lineno or node.lineno


def is_function(node: ast.stmt) -> TypeGuard[Function]:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
