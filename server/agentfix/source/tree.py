"""The one home of ``ast.parse``: a parse and views of its tree that never raise.

Model answers and user files may not parse, or be too deep to: 3,000 unary minuses raise
``RecursionError`` in the parser, and 1,000 ``~`` parse but raise it in ``ast.dump`` and
``ast.unparse``, which recurse in Python. Every parse of agentfix goes through ``parse``
(ruff's ``banned-api`` keeps it so), and what recurses over a tree through a view here.
"""

from __future__ import annotations

import ast
from typing import TypeGuard

Function = ast.FunctionDef | ast.AsyncFunctionDef
# What the parser and compiler raise on text they cannot take: bad syntax, null bytes and
# lone surrogates (ValueError), nesting too deep for the parser's stack or for memory.
UNPARSABLE = (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError)
TOO_DEEP = (RecursionError, MemoryError)


def parse(source: str) -> ast.Module | None:
    """The module's tree, or None when it does not parse."""
    try:
        return ast.parse(source)
    except UNPARSABLE:
        return None


def dump(node: ast.AST) -> str | None:
    """``ast.dump`` of the node, or None when it is nested too deep to walk."""
    try:
        return ast.dump(node)
    except TOO_DEEP:
        return None


def unparse(node: ast.AST) -> str | None:
    """``ast.unparse`` of the node, or None when it is nested too deep to walk."""
    try:
        return ast.unparse(node)
    except TOO_DEEP:
        return None


def span(node: ast.stmt) -> tuple[int, int]:
    """0-based [start, end) line span of a statement, decorators included (what a splice
    replaces and a prompt shows); index ``source.lines.split_lines`` with it."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return start - 1, node.end_lineno or node.lineno


def is_function(node: ast.AST) -> TypeGuard[Function]:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
