"""What an answer changed, as splices of the original: nothing else moves.

Small models asked for a fix return the whole file rewritten: the bug fixed, and on the
way the module's closing notes dropped, comments and docstrings lost, untouched functions
reformatted. Taken as a new file, all of that became "the fix" (9 of 19 validated fixes on
an independent set deleted the module's closing block). Here an answer, whole file or a
few definitions, is compared with the file statement by statement (by syntax tree, so
formatting and comments do not count as changes): a definition whose code differs
replaces the original one (in a class, only that method), keeping the original docstring
if the answer dropped it; a statement whose code differs replaces its counterpart (matched
by kind and the names it assigns); new definitions and statements go where the answer
puts them; whatever the answer left out stays as it was, except a duplicate definition
it gives fewer times (ruff's F811: the fix is to drop one).

An answer whose code is the file's own, reformatted, changes nothing this way; it is then
compared by text (``textual``): where lint asks for formatting, that is the fix.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Sequence
from difflib import SequenceMatcher

from agentfix.source.lines import dedent, indent
from agentfix.source.tree import dump, span

Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
Edit = tuple[int, int, str]  # (start, end, text) on the original's lines, 0-based
IMPORTS = (ast.Import, ast.ImportFrom)
DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def changed_only(
    orig_tree: ast.Module,
    orig_lines: list[str],
    code_tree: ast.Module,
    code_lines: list[str],
    tail: int,
    textual: bool = False,
) -> list[Edit]:
    """The edits that put the answer's changes into the original; ``tail``: the line where
    a new definition with no neighbour in the file goes (before a ``__main__`` block);
    ``textual``: statements differ when their text does (formatting counts)."""
    splice = _Splice(orig_lines, code_lines, textual)
    return splice.body(orig_tree.body, code_tree.body, "", tail, module=True)


class _Splice:
    def __init__(self, orig_lines: list[str], code_lines: list[str], textual: bool) -> None:
        self.orig_lines, self.code_lines, self.textual = orig_lines, code_lines, textual

    def same(self, old: ast.AST, new: ast.AST) -> bool:
        if self.textual and isinstance(old, ast.stmt) and isinstance(new, ast.stmt):
            return _source(self.orig_lines, old) == _source(self.code_lines, new)
        left = dump(old)
        return left is not None and left == dump(new)

    def body(
        self, olds: Sequence[ast.stmt], news: Sequence[ast.stmt], prefix: str, tail: int,
        module: bool = False,
    ) -> list[Edit]:  # fmt: skip
        """Edits for one body (the module's, a class's) indented ``prefix`` in the file."""
        edits = self.statements(olds, news, prefix, module)
        pairs, dropped = _pairs(olds, news)
        edits += [(start, _next_start(olds, node, end), "") for node in dropped
                  for start, end in [span(node)]]  # fmt: skip
        for index, node in enumerate(news):
            if not isinstance(node, Def):
                continue
            target = pairs.get(id(node))
            if target is not None:
                edits += self.changed_def(target, node)
                continue
            text = _text(self.code_lines, node, prefix)
            gap = "\n" if prefix else "\n\n"
            after = next((pairs[id(n)] for n in news[index + 1 :] if id(n) in pairs), None)
            if after is not None:  # before the definition that follows it in the answer
                at = span(after)[0]
                edits.append((at, at, text + gap))
                continue
            before = next((pairs[id(n)] for n in reversed(news[:index]) if id(n) in pairs), None)
            at = min(span(before)[1], tail) if before is not None else tail
            edits.append((at, at, gap + text))
        return edits

    def changed_def(self, target: Def, node: Def) -> list[Edit]:
        if self.same(target, node):
            return []
        if not self.textual and _docstring(node) is None and self.same(_bare(target), node):
            return []  # the answer only dropped the docstring
        if isinstance(target, ast.ClassDef) and isinstance(node, ast.ClassDef):
            if _same_head(target, node) and target.body[0].lineno > target.lineno:
                inner = _indent_of(self.orig_lines[target.body[0].lineno - 1])
                return self.body(target.body, node.body, inner, span(target)[1])
        start, end = span(target)
        prefix = _indent_of(self.orig_lines[start])
        return [(start, end, _text(self.code_lines, node, prefix, self.orig_lines, target))]

    def statements(
        self, olds: Sequence[ast.stmt], news: Sequence[ast.stmt], prefix: str, module: bool
    ) -> list[Edit]:
        """Statements (not definitions; at module level, not imports: those are added
        apart) whose code the answer changed, or that it added; ones it left out stay."""
        skip: tuple[type, ...] = (*IMPORTS, *DEFS) if module else DEFS
        mine = [n for n in olds if not isinstance(n, skip)]
        theirs = [n for n in news if not isinstance(n, skip)]
        keys = [self._key(n, self.orig_lines) for n in mine]
        matcher = SequenceMatcher(None, keys, [self._key(n, self.code_lines) for n in theirs],
                                  False)  # fmt: skip
        edits: list[Edit] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("equal", "delete"):
                continue
            free = list(mine[i1:i2])
            after = span(mine[i1 - 1])[1] if i1 else _first_line(olds)
            for new in theirs[j1:j2]:
                text = _text(self.code_lines, new, prefix)
                if module and new is _docstring_of(news) and _docstring_of(olds) is None:
                    edits.append((0, 0, text))  # a module docstring goes first
                    continue
                match = next((old for old in free if _names(old) == _names(new)), None)
                match = match or next((old for old in free if type(old) is type(new)), None)
                if match is None:
                    edits.append((after, after, text))
                    continue
                free.remove(match)
                start, end = span(match)
                edits.append((start, end, text))
                after = end
        return edits

    def _key(self, node: ast.stmt, lines: list[str]) -> str | None:
        return _source(lines, node) if self.textual else dump(node)


def _source(lines: list[str], node: ast.stmt) -> str:
    start, end = span(node)
    return dedent("".join(lines[start:end]))


def _pairs(olds: Sequence[ast.stmt], news: Sequence[ast.stmt]) -> tuple[dict[int, Def], list[Def]]:
    """Which definition of the file each of the answer's stands for (by ``id`` of the
    answer's node), and the file's definitions to drop. A name defined once on each side
    pairs up; definitions sharing a name (a property's getter and setter, overloads, a
    redefinition) pair in order when both sides have as many, else by their decorators.
    Only a plain redefinition (ruff's F811) that the answer gives fewer times is dropped,
    its first occurrences first; other unpaired definitions stay."""
    mine: dict[str, list[Def]] = {}
    for node in olds:
        if isinstance(node, Def):
            mine.setdefault(node.name, []).append(node)
    theirs: dict[str, list[Def]] = {}
    for node in news:
        if isinstance(node, Def):
            theirs.setdefault(node.name, []).append(node)
    pairs: dict[int, Def] = {}
    dropped: list[Def] = []
    for name, given in theirs.items():
        had = list(mine.get(name, []))
        if len(had) == len(given):
            pairs |= {id(new): old for new, old in zip(given, had, strict=True)}
            continue
        for new in given:
            if not had:
                break  # one more than the file has: a new definition
            heads = _decorators(new)
            # the last of equals: the definition Python keeps is the one the answer means
            old = next((o for o in reversed(had) if _decorators(o) == heads), had[-1])
            had.remove(old)
            pairs[id(new)] = old
        if had and not any(o.decorator_list for o in mine[name]):
            dropped += had  # a plain redefinition the answer resolved
    return pairs, dropped


def _decorators(node: Def) -> list[str | None]:
    return [dump(d) for d in node.decorator_list]


def _next_start(body: Sequence[ast.stmt], node: ast.stmt, end: int) -> int:
    """Where the statement after ``node`` starts (its blank lines go with ``node``)."""
    index = next(i for i, n in enumerate(body) if n is node)
    return span(body[index + 1])[0] if index + 1 < len(body) else end


def _docstring(node: ast.AST) -> ast.Expr | None:
    body = getattr(node, "body", [])
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first if isinstance(first.value.value, str) else None
    return None


def _docstring_of(body: Sequence[ast.stmt]) -> ast.stmt | None:
    """The docstring statement of a body, if it has one."""
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        return first if isinstance(first.value.value, str) else None
    return None


def _bare(node: Def) -> Def:
    """``node`` without its docstring (a shallow copy)."""
    if _docstring(node) is None or len(node.body) < 2:
        return node
    bare = copy.copy(node)
    bare.body = node.body[1:]
    return bare


def _same_head(target: ast.ClassDef, node: ast.ClassDef) -> bool:
    """Same decorators, bases and keywords: the class is the same, its body may differ."""
    pairs: list[tuple[list[ast.expr], list[ast.expr]]] = [
        (target.decorator_list, node.decorator_list),
        (target.bases, node.bases),
        ([k.value for k in target.keywords], [k.value for k in node.keywords]),
    ]
    same = all(len(x) == len(y) and all(map(_same_tree, x, y)) for x, y in pairs)
    return same and [k.arg for k in target.keywords] == [k.arg for k in node.keywords]


def _same_tree(a: ast.AST, b: ast.AST) -> bool:
    left = dump(a)
    return left is not None and left == dump(b)


def _indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _text(
    code_lines: list[str],
    node: ast.stmt,
    prefix: str,
    orig_lines: list[str] | None = None,
    target: ast.stmt | None = None,
) -> str:
    """The answer's text of ``node`` at indentation ``prefix``, with ``target``'s
    docstring put back when the answer dropped it."""
    start, end = span(node)
    lines = code_lines[start:end]
    doc = _docstring(target) if target is not None else None
    body = getattr(node, "body", [])
    if doc is not None and orig_lines is not None and body and _docstring(node) is None:
        at = body[0].lineno - 1
        own_line = at < end and len(_indent_of(code_lines[at])) == body[0].col_offset
        if at > node.lineno - 1 and own_line:  # the body starts on a line of its own
            text = indent(dedent("".join(orig_lines[doc.lineno - 1 : doc.end_lineno])),
                          _indent_of(code_lines[at]))  # fmt: skip
            lines = [*code_lines[start:at], text, *code_lines[at:end]]
    text = dedent("".join(lines))
    return indent(text, prefix) if prefix else text


def _names(node: ast.stmt) -> tuple[str, ...]:
    """What makes two statements counterparts: their kind and the names they assign."""
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    return (type(node).__name__, *sorted(names))


def _first_line(body: Sequence[ast.stmt]) -> int:
    """Where a new statement goes with none before it: after the docstring and imports."""
    last = body[0].lineno - 1 if body else 0
    for index, node in enumerate(body):
        doc = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if not (doc or isinstance(node, IMPORTS)):
            break
        last = node.end_lineno or node.lineno
    return last
