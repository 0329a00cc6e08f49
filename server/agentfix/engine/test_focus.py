"""What the failing tests expect: their source, and which code of the fixed file they use.

An assertion line alone (``assert options == {...}``) rarely tells a small model what the
code should do; the failing test's body is the specification. Naming the functions it
exercises points the model at the bug in a multi-function file, and ranking them (the
*suspects*) lets later rounds look at one function at a time (see ``outline``). Test files
are only read.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from agentfix.source.lines import split_lines
from agentfix.source.tree import is_function, parse

FRAME = re.compile(r"^(?P<path>[^\s:]+\.py):(?P<line>\d+): in (?P<func>[\w.<>]+)", re.M)
MAX_TESTS = 3
MAX_LINES = 25
MAX_LINE_CHARS = 200
MAX_FRAMES = 200  # a chatty custom test command must not make this quadratic
UNREADABLE = (OSError, ValueError, RuntimeError, MemoryError, UnicodeError)


@dataclass(frozen=True)
class TestFocus:
    """The failing tests' source (``sources``) and the names in the fixed file they use
    (``names``, in order of appearance; ``suspects``, most used first, functions and methods
    before classes)."""

    sources: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    suspects: tuple[str, ...] = ()

    def describe(self, rel_path: str) -> str:
        """Prompt text; empty when nothing useful was found."""
        parts = []
        if self.sources:
            code = "\n\n".join(self.sources)
            parts.append(
                "The failing tests (they are correct: change the code, never the tests):\n"
                f"```python\n{code}\n```"
            )
        if self.names:
            names = ", ".join(f"`{n}`" for n in self.names)
            parts.append(f"They exercise {names} of `{rel_path}`: look for the bug there first.")
        return "\n".join(parts)


def focus(output: str, root: Path, rel_path: str, source: str) -> TestFocus:
    """Read the failing tests named by a pytest traceback (``--tb=short`` frames).

    Best effort: anything unreadable is skipped, nothing here can fail a fix."""
    functions, classes = _definitions(source)
    defined = functions | {name for cls, methods in classes.items() for name in (cls, *methods)}
    sources: list[str] = []
    hits: Counter[str] = Counter()  # failing tests and traceback frames that use each name
    seen: set[tuple[str, str]] = set()
    for match in itertools.islice(FRAME.finditer(output), MAX_FRAMES):
        path, line, func = match["path"], int(match["line"]), match["func"]
        if (path, func) in seen:
            continue
        seen.add((path, func))
        if Path(path).as_posix() == rel_path:
            _add(hits, func.rsplit(".", 1)[-1], defined)
            continue
        if len(sources) >= MAX_TESTS or not func.split(".")[-1].startswith("test"):
            continue
        test_source = _read_test(root, path, line)
        if test_source and test_source not in sources:
            sources.append(test_source)
            for name in _used_names(test_source):
                _add(hits, name, defined)
    names = tuple(hits)  # a Counter keeps first-seen order
    return TestFocus(tuple(sources), names, _rank(names, hits, classes))


def _add(hits: Counter[str], name: str, defined: set[str]) -> None:
    if name in defined:
        hits[name] += 1


def _rank(
    names: tuple[str, ...], hits: Counter[str], classes: dict[str, set[str]]
) -> tuple[str, ...]:
    """Most used first; a class only when none of its methods is a suspect itself."""
    kept = [n for n in names if n not in classes or not classes[n] & set(names)]
    return tuple(sorted(kept, key=lambda n: (n in classes, -hits[n], names.index(n))))


def _definitions(source: str) -> tuple[set[str], dict[str, set[str]]]:
    """Top-level functions, and classes with their methods, of the file being fixed (one
    parse; nothing when it does not parse)."""
    tree = parse(source)
    if tree is None:
        return set(), {}
    functions: set[str] = set()
    classes: dict[str, set[str]] = {}
    for node in tree.body:
        if is_function(node):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef):
            classes[node.name] = {m.name for m in node.body if is_function(m)}
    return functions, classes


def _used_names(test_source: str) -> list[str]:
    tree = parse(test_source)
    if tree is None:
        return []
    used: list[str] = []
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(name, str) and name not in used:
            used.append(name)
    return used


def _read_test(root: Path, path: str, line: int) -> str | None:
    """The source of the function around ``line`` in ``root/path`` (decorators included,
    capped); None when unknown, unreadable or outside the project."""
    try:
        file = (root / path).resolve()
        if not file.is_relative_to(root.resolve()) or not file.is_file():
            return None
        text = file.read_text(encoding="utf-8")
    except UNREADABLE:
        return None
    tree = parse(text)
    if tree is None:
        return None
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (best is None or node.lineno > best.lineno):
                best = node
    if best is None:
        return None
    start = min([best.lineno] + [d.lineno for d in best.decorator_list])
    lines = split_lines(text)[start - 1 : best.end_lineno or best.lineno]
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    lines = [_cut(x[indent:]) for x in lines]
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], "    ..."]
    return "\n".join(lines)


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " ..."
