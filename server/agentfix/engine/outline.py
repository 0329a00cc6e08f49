"""Views of the file being fixed for a narrowed prompt: one definition, its skeleton (the
signature and docstring: a spec to write it anew from), and the file's outline.

A small model that cannot find a bug in a whole file often can in ten lines; and one shown
the buggy body tends to copy it back unchanged, so a rewrite is asked from the spec alone.
"""

from __future__ import annotations

import ast

from agentfix.source.lines import dedent, indent, split_lines
from agentfix.source.tree import Function, is_function, parse, span

MAX_DEFINITION_LINES = 60  # a suspect longer than this is not worth narrowing to
MAX_OUTLINE_LINES = 80


def definition(source: str, name: str, body: bool = True) -> str | None:
    """The source of top-level function or class ``name``, or of a method ``name`` under its
    ``class`` line (so an answer in the same shape merges into the class), after the
    one-line module constants it reads; None when it is not there or is too long to be
    worth showing on its own. ``body=False`` gives a function's signature and docstring
    with ``...`` for a body (None for a class): the spec to write it anew from."""
    tree = parse(source)
    if tree is None:
        return None
    lines = split_lines(source)
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        header: list[str] = []
        found: ast.stmt | None = node if node.name == name else None
        if found is None and isinstance(node, ast.ClassDef):
            found = next((m for m in node.body if is_function(m) and m.name == name), None)
            header = [x for x in lines[node.lineno - 1 : node.body[0].lineno - 1] if x.strip()]
        if found is None:
            continue
        code = _lines(lines, found) if body else _skeleton(lines, found)
        if code is None:
            return None
        constants = _constants(tree, found, lines)
        return "\n".join([*constants, *([""] if constants else []), *header, code])
    return None


def _skeleton(lines: list[str], node: ast.stmt) -> str | None:
    """Decorators, signature and docstring of a function, ``...`` for its body."""
    if not is_function(node):
        return None
    first = node.body[0]
    has_doc = ast.get_docstring(node, clean=False) is not None
    end = (first.end_lineno or first.lineno) if has_doc else first.lineno - 1
    start = span(node)[0]
    if first.lineno == node.lineno:  # ``def f(): return 1`` on one line
        return None
    margin = " " * first.col_offset
    return "\n".join([*lines[start:end], f"{margin}..."])


def _constants(tree: ast.Module, node: ast.stmt, lines: list[str]) -> list[str]:
    """One-line module-level assignments to names ``node`` reads (``LIMIT = 10``)."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    out = []
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [getattr(stmt, "target", None)]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        if (
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and names & used
            and stmt.end_lineno == stmt.lineno
        ):
            out.append(lines[stmt.lineno - 1])
    return out


def _lines(
    lines: list[str], node: ast.stmt, limit: int | None = MAX_DEFINITION_LINES
) -> str | None:
    """A definition's lines, decorators included; None when longer than ``limit``."""
    start, end = span(node)
    if limit is not None and end - start > limit:
        return None
    return "\n".join(lines[start:end])


def outline(source: str) -> str:
    """Imports, one-line constants, and every class and function signature with ``...`` for
    bodies: what a rewritten function may use, without the code that misled the model."""
    tree = parse(source)
    if tree is None:
        return ""
    lines = split_lines(source)
    out: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            header = lines[span(node)[0] : max(node.body[0].lineno - 1, node.lineno)]
            out.append("\n".join(header).rstrip())
            members = [_member(lines, m) for m in node.body]
            out.extend(m for m in members if m)
            if not any(members) and node.body[0].lineno > node.lineno:
                out.append(" " * node.body[0].col_offset + "...")
        elif member := _member(lines, node):
            out.append(member)
    text = "\n".join(out)
    kept = split_lines(text)
    if len(kept) > MAX_OUTLINE_LINES:
        kept = [*kept[:MAX_OUTLINE_LINES], "# ..."]
    return "\n".join(kept)


def _member(lines: list[str], node: ast.stmt) -> str | None:
    """A function's signature, or a one-line import or assignment; None for anything else."""
    if is_function(node):
        return _signature(lines, node)
    one_line = isinstance(node, ast.Import | ast.ImportFrom | ast.Assign | ast.AnnAssign)
    return lines[node.lineno - 1] if one_line and node.end_lineno == node.lineno else None


def _signature(lines: list[str], node: Function) -> str:
    """Decorators, signature and docstring, ``...`` for the body; a one-line def as it is."""
    start, end = span(node)
    return _skeleton(lines, node) or "\n".join(lines[start:end])


def only_definition(code: str, name: str, base: str) -> str:
    """Of an answer to a narrowed prompt, only the function ``name`` asked for (a method
    under its class line, wherever the answer put it) and the answer's imports; the answer
    as it is when it has no such function. Small models answer a rewrite with the whole
    outline filled in, and those other bodies were never asked for."""
    tree = parse(code)
    if tree is None:
        return code
    lines = split_lines(code)
    owner = _owner(base, name)
    imports = [_lines(lines, n, limit=None) or "" for n in tree.body if _is_import(n)]
    for node in tree.body:
        if is_function(node) and node.name == name:
            text = _lines(lines, node, limit=None) or ""
            found = f"class {owner}:\n{indent(text, '    ')}" if owner else text
        elif isinstance(node, ast.ClassDef) and (owner is None or node.name == owner):
            method = next((m for m in node.body if is_function(m) and m.name == name), None)
            if method is None:
                continue
            text = dedent(_lines(lines, method, limit=None) or "")
            found = f"class {node.name}:\n{indent(text, '    ')}"
        else:
            continue
        return "\n".join([*imports, *([""] if imports else []), found]) + "\n"
    return code


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.Import | ast.ImportFrom)


def _owner(source: str, name: str) -> str | None:
    """The class whose method ``name`` is, when ``name`` is not a top-level function."""
    tree = parse(source)
    for node in tree.body if tree else []:
        if is_function(node) and node.name == name:
            return None
        if isinstance(node, ast.ClassDef) and any(
            is_function(m) and m.name == name for m in node.body
        ):
            return node.name
    return None
