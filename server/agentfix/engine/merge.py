"""Merge a model's answer into the file, keeping every byte it did not need to change.

Partial answers (some definitions) are spliced in by definition name with ``ast``. An
answer that gives the whole file is *not* taken as a new file: small models drop the
module's closing notes, comments and docstrings, and reformat functions they did not fix.
Only what the answer changed goes in (the definitions and module statements whose code
differs, new definitions and imports); what it dropped or only reformatted stays as it
was. The answer replaces the file only where nothing can be matched: the file or the
answer does not parse, or they share no definition.
"""

from __future__ import annotations

import ast

from agentfix.engine.merge_changed import changed_only
from agentfix.source.lines import dedent, indent, split_lines
from agentfix.source.tree import parse, span, unparse

Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def _defs(body: list[ast.stmt]) -> dict[str, Def]:
    return {n.name: n for n in body if isinstance(n, Def)}


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def merge_answer(original: str, code: str) -> tuple[str, str]:
    """Return (new file text, how it was merged: 'whole' or 'partial')."""
    newline = "\r\n" if "\r\n" in original else "\n"
    code = code.replace("\r\n", "\n")
    orig_tree, code_tree = parse(original), parse(code)
    if orig_tree is None or code_tree is None:
        return _with_newline(code, newline), "whole"
    orig_lines = split_lines(original, keepends=True)
    code_lines = split_lines(code, keepends=True)
    kept = _keep_decorators(orig_lines, orig_tree.body, code_lines, code_tree.body)
    if kept != code and (reparsed := parse(kept)) is not None:
        code, code_tree, code_lines = kept, reparsed, split_lines(kept, keepends=True)
    if not set(_defs(code_tree.body)) & set(_defs(orig_tree.body)):
        return _with_newline(code, newline), "whole"  # nothing to match it by

    tail = _append_line(orig_tree, len(orig_lines))
    edits = changed_only(orig_tree, orig_lines, code_tree, code_lines, tail)
    imports = _new_imports(orig_tree, code_tree, code_lines)
    if not edits and not imports:  # the same code: is it reformatted (lint may ask that)?
        edits = changed_only(orig_tree, orig_lines, code_tree, code_lines, tail, textual=True)
    if imports:
        at = _import_insertion_line(orig_tree)
        edits.append((at, at, "".join(imports)))

    lines = list(orig_lines)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the last line gains a newline only if we append after it
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = [_with_newline(text, newline)]
    merged = "".join(lines)
    if not original.endswith(("\n", "\r")) and merged.endswith(newline):
        if not any(start >= len(orig_lines) for start, _, _ in edits):
            merged = merged[: -len(newline)]
    return merged, "partial"


def _keep_decorators(
    orig_lines: list[str],
    orig_body: list[ast.stmt],
    code_lines: list[str],
    code_body: list[ast.stmt],
) -> str:
    """The answer with the original's decorators put back on each definition (methods
    too) that it gives without any: a model that leaves out ``@attrs(slots=True)`` or
    ``@property`` only left out context, and the class it returns must not lose them."""
    inserts: list[tuple[int, str]] = []

    def walk(orig: list[ast.stmt], code: list[ast.stmt]) -> None:
        before = _defs(orig)
        for node in _defs(code).values():
            target = before.get(node.name)
            if target is None:
                continue
            if target.decorator_list and not node.decorator_list:
                start = span(target)[0]
                text = dedent("".join(orig_lines[start : target.lineno - 1]))
                at = node.lineno - 1
                inserts.append((at, indent(text, _indent_of(code_lines[at]))))
            if isinstance(node, ast.ClassDef) and isinstance(target, ast.ClassDef):
                walk(target.body, node.body)

    walk(orig_body, code_body)
    lines = list(code_lines)
    for at, text in sorted(inserts, reverse=True):
        lines[at:at] = [text]
    return "".join(lines)


def _new_imports(orig: ast.Module, code: ast.Module, code_lines: list[str]) -> list[str]:
    have = {unparse(n) for n in orig.body if isinstance(n, ast.Import | ast.ImportFrom)}
    out = []
    for node in code.body:
        if isinstance(node, ast.Import | ast.ImportFrom) and unparse(node) not in have:
            start, end = span(node)
            out.append("".join(code_lines[start:end]).rstrip("\n") + "\n")
    return out


def _import_insertion_line(tree: ast.Module) -> int:
    last = 0
    for index, node in enumerate(tree.body):
        is_doc = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if isinstance(node, ast.Import | ast.ImportFrom) or is_doc:
            last = node.end_lineno or node.lineno
    return last


def _append_line(tree: ast.Module, n_lines: int) -> int:
    """New definitions go before a trailing ``if __name__ == "__main__":`` block, else last."""
    for node in tree.body:
        if isinstance(node, ast.If) and "__name__" in (unparse(node.test) or ""):
            return span(node)[0]
    return n_lines


def _with_newline(text: str, newline: str) -> str:
    text = text.replace("\r\n", "\n")
    return text.replace("\n", newline) if newline != "\n" else text
