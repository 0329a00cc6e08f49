"""Which tests exercise the functions a candidate changed (per-function coverage).

The original's whole-suite run records, per test, the functions of the file under test it
ran (our pytest plugin, ``sys.monitoring`` on Python 3.12+). Before a candidate meets the
whole test command, the tests that run the functions it changed meet it first: a change
that breaks a test far from the failing ones is rejected in seconds, not after a suite of
minutes. Only when that pays: the selection must cost well under the whole suite, and a
change outside function bodies (a constant, a decorator, a class attribute) can affect
any test, so it gets no selection.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from agentfix.source.tree import dump, is_function, parse
from agentfix.validators.test_report import TestReport, file_of

PAYS = 0.5  # the selection's recorded time must be under this share of the suite's


def _functions(tree: ast.Module) -> Iterator[tuple[str, ast.AST]]:
    """(qualified name as ``code.co_qualname`` spells it, node) of every outermost
    function: module functions and methods of module-level classes, at any class depth."""

    def walk(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.AST]]:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield prefix + node.name, node
            elif isinstance(node, ast.ClassDef):
                yield from walk(node.body, f"{prefix}{node.name}.")

    yield from walk(tree.body, "")


def _skeleton(tree: ast.Module) -> str | None:
    """The module with every function body emptied (in place): what changes outside
    functions; None when it is nested too deep to compare. A walk, not a recursive
    ``NodeTransformer``, so depth costs no stack."""
    for node in ast.walk(tree):
        if is_function(node):
            node.body = [ast.Pass()]
    return dump(tree)


def changed_functions(before: str, after: str) -> frozenset[str] | None:
    """Qualified names of the functions whose code differs; None when something outside
    function bodies changed too (or either side does not parse, or is too deep to compare)."""
    old, new = parse(before), parse(after)
    if old is None or new is None:
        return None
    old_functions = {name: dump(node) for name, node in _functions(old)}
    new_functions = {name: dump(node) for name, node in _functions(new)}
    if None in old_functions.values() or None in new_functions.values():
        return None
    if old_functions.keys() != new_functions.keys():
        return None
    old_rest, new_rest = _skeleton(old), _skeleton(new)
    if old_rest is None or old_rest != new_rest:
        return None
    return frozenset(n for n, text in new_functions.items() if old_functions[n] != text)


def _runs(names: frozenset[str], changed: frozenset[str]) -> bool:
    """A test's recorded functions include a changed one (or code nested in it)."""
    return any(n in changed or n.split(".<locals>.", 1)[0] in changed for n in names)


def covering(
    report: TestReport, changed: frozenset[str] | None, done: tuple[str, ...]
) -> frozenset[str]:
    """The tests (outside the files ``done`` already ran) that run a changed function,
    when running them first pays; else none."""
    covers = report.covers
    if covers is None or not changed:
        return frozenset()
    skip = set(done)
    chosen = frozenset(
        t for t, names in covers.items() if file_of(t) not in skip and _runs(names, changed)
    )
    cost = sum(report.durations.get(t, 0.0) for t in chosen)
    total = sum(report.durations.values())
    if not chosen or total <= 0 or cost >= PAYS * total:
        return frozenset()
    return chosen
