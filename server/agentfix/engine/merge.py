"""Merge a model's answer into the file: whole-file answers replace it, partial ones are
spliced in by definition name with ``ast``, keeping every other byte of the file as it was.
"""

from __future__ import annotations

import ast

from agentfix.source.lines import dedent, indent, split_lines
from agentfix.source.tree import parse, span, unparse

Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
WHOLE_FILE_SHARE = 0.8


def _defs(body: list[ast.stmt]) -> dict[str, Def]:
    return {n.name: n for n in body if isinstance(n, Def)}


def _segment(lines: list[str], node: ast.stmt, prefix: str) -> str:
    start, end = span(node)
    text = dedent("".join(lines[start:end]))
    return indent(text, prefix) if prefix else text


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _keeps_the_rest(orig: ast.Module, code: ast.Module) -> bool:
    """An answer is a whole file only if it has as many top-level statements besides
    definitions (docstring, imports, constants) as the file: one that has all the functions
    but drops the module docstring is spliced in by definition, keeping the docstring."""
    rest = [n for n in orig.body if not isinstance(n, Def)]
    return len([n for n in code.body if not isinstance(n, Def)]) >= len(rest)


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
    orig_defs, code_defs = _defs(orig_tree.body), _defs(code_tree.body)
    whole = (
        not orig_defs
        or not code_defs
        or not set(code_defs) & set(orig_defs)
        or (
            (_covers(orig_defs, code_defs) or len(code_lines) >= WHOLE_FILE_SHARE * len(orig_lines))
            and _keeps_the_rest(orig_tree, code_tree)
        )
    )
    if whole:
        return _with_newline(code, newline), "whole"

    edits: list[tuple[int, int, str]] = []  # (start, end, text) on original lines, 0-based
    appended: list[str] = []
    for name, node in code_defs.items():
        target = orig_defs.get(name)
        if target is None:
            appended.append(_segment(code_lines, node, ""))
            continue
        if isinstance(node, ast.ClassDef) and isinstance(target, ast.ClassDef):
            edits.extend(_merge_class(orig_lines, target, code_lines, node))
            continue
        start, end = span(target)
        edits.append((start, end, _segment(code_lines, node, _indent_of(orig_lines[start]))))

    imports = _new_imports(orig_tree, code_tree, code_lines)
    if imports:
        at = _import_insertion_line(orig_tree)
        edits.append((at, at, "".join(imports)))
    if appended:
        at = _append_line(orig_tree, len(orig_lines))
        body = "\n\n".join(a.rstrip("\n") + "\n" for a in appended)
        # before a __main__ block: blank lines already precede it, so add them after
        text = body + "\n\n" if at < len(orig_lines) else "\n\n" + body
        edits.append((at, at, text))

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


def _covers(orig_defs: dict[str, Def], code_defs: dict[str, Def]) -> bool:
    """The answer redefines every definition of the file, and every method of its classes
    (a class given with one method is a partial answer, not the whole file)."""
    for name, node in orig_defs.items():
        answer = code_defs.get(name)
        if answer is None:
            return False
        if isinstance(node, ast.ClassDef) and isinstance(answer, ast.ClassDef):
            if not set(_defs(node.body)) <= set(_defs(answer.body)):
                return False
    return True


def _merge_class(
    orig_lines: list[str], target: ast.ClassDef, code_lines: list[str], node: ast.ClassDef
) -> list[tuple[int, int, str]]:
    """Replace the methods the answer gives; replace the whole class if it gives them all."""
    orig_methods, code_methods = _defs(target.body), _defs(node.body)
    start, end = span(target)
    if set(orig_methods) <= set(code_methods):
        return [(start, end, _segment(code_lines, node, _indent_of(orig_lines[start])))]
    edits: list[tuple[int, int, str]] = []
    new: list[str] = []
    body_indent = _indent_of(orig_lines[target.body[0].lineno - 1])
    for name, method in code_methods.items():
        old = orig_methods.get(name)
        if old is None:
            new.append(_segment(code_lines, method, body_indent))
            continue
        m_start, m_end = span(old)
        edits.append(
            (m_start, m_end, _segment(code_lines, method, _indent_of(orig_lines[m_start])))
        )
    if new:
        edits.append((end, end, "\n" + "\n".join(new)))
    return edits


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
