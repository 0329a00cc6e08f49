"""Ruff's safe fixes of a model answer, applied only where the answer is.

Fixing the whole file turns a 2-line fix into a 60-line diff of import sorting and
modernised annotations the user never asked for, and removes diagnostics the user lives
with. So of ruff's safe fixes for the answer only those are applied that touch a line the
answer changed (relative to the text it was merged into) or a diagnostic the answer added
(the import it made unused): exactly the lint the validator would count against it. Each
fix is applied whole, from ruff's own edits (never a cut of ruff's rewrite of the whole
file, which can join fixes that depend on each other), a few passes like ``ruff --fix``.

The same holds for ruff's fixes of the original that the model was shown (``revert_untouched``):
where the answer did not touch them they go back as the user had them.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from agentfix.errors import AgentfixError
from agentfix.source.line_diff import Opcode, opcodes
from agentfix.source.lines import line_starts, split_lines
from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.ruff import (
    added_diagnostics,
    diagnostic_items,
    diagnostic_of,
    diagnostics,
)

Rows = set[int]  # 0-based line indices
MAX_PASSES = 4  # a fix can uncover another (a re-sorted block, then an unused import)


def fix_near_changes(text: str, base: str, path: Path, original: Sequence[Diagnostic] = ()) -> str:
    """``text`` with ruff's safe fixes that touch what it changed relative to ``base`` or
    diagnostics beyond ``original``'s (the validator's baseline); the rest stays as is."""
    current = text
    for _ in range(MAX_PASSES):
        items = diagnostic_items(["--no-unsafe-fixes"], current, path)
        rows = changed_rows(base, current) | _new_rows(items, original)
        fixes = [item["fix"] for item in items if _safe(item) and _rows_of(item) & rows]
        updated = apply_fixes(current, fixes)
        if updated == current:
            break
        current = updated
    return current


def revert_untouched(original: str, base: str, text: str, path: Path) -> str:
    """``text`` (an answer merged into ``base``, ruff's fix of ``original``) with ruff's
    rewrites that the answer did not touch put back as they were in ``original``: the
    model saw ruff's fixed file, but its fix of a failing test should not carry 60 lines of
    import sorting and f-strings. A rewrite is put back whole or not at all (one ruff fix,
    e.g. a sorted import block, is one unit), and not when it is next to the answer's."""
    old, mid, new = (split_lines(t, keepends=True) for t in (original, base, text))
    answer = [(b1, b2) for tag, b1, b2, _, _ in _opcodes(mid, new) if tag != "equal"]
    hunks = [h for h in _opcodes(old, mid) if h[0] != "equal"]
    groups = _group(hunks, _fix_spans(original, path))
    to_text = _equal_map(mid, new)
    reverts: list[tuple[int, int, list[str]]] = []
    for group in groups:
        if any(a1 <= b2 and b1 <= a2 for _, _, _, b1, b2 in group for a1, a2 in answer):
            continue  # part of this fix is in (or next to) the answer's change: keep it
        placed: list[tuple[int, int, list[str]]] = []
        for _, o1, o2, b1, b2 in group:
            span = _in_text(b1, b2, to_text, len(mid), len(new))
            if span is None:
                break  # not found unchanged in the answer: leave the whole fix as it is
            placed.append((*span, old[o1:o2]))
        else:
            reverts.extend(placed)
    for start, end, block in sorted(reverts, key=lambda r: (r[0], r[1]), reverse=True):
        new[start:end] = block
    reverted = "".join(new)
    if reverted != text and added_diagnostics(
        _flakes(original, path) + _flakes(text, path), _flakes(reverted, path)
    ):
        return text  # fixes that depend on each other were split (an import and its use)
    return reverted


@lru_cache(maxsize=8)
def _flakes(source: str, path: Path) -> list[Diagnostic]:
    """Pyflakes' findings (undefined and unused names), whatever the project selects."""
    return diagnostics(["--isolated", "--select", "F"], source, path)


def _in_text(
    b1: int, b2: int, to_text: dict[int, int], n_base: int, n_text: int
) -> tuple[int, int] | None:
    """Where base lines ``b1..b2`` (or the point ``b1``) are in the answer, if unchanged."""
    if b2 > b1:
        first, last = to_text.get(b1), to_text.get(b2 - 1)
        return None if first is None or last is None else (first, last + 1)
    at = n_text if b1 >= n_base else to_text.get(b1)
    return None if at is None else (at, at)


def _group(hunks: list[Opcode], spans: list[Rows]) -> list[list[Opcode]]:
    """Ruff's hunks joined when they are one fix (inside one fix's lines of the original)
    or touch each other."""
    groups: list[list[Opcode]] = []
    owner: dict[int, int] = {}  # fix index -> group index
    for hunk in hunks:
        _, o1, o2, _, _ = hunk
        rows = set(range(o1, o2)) if o2 > o1 else {o1 - 1, o1}
        fix = next((k for k, span in enumerate(spans) if span & rows), None)
        if fix is not None and fix in owner:
            groups[owner[fix]].append(hunk)
        elif groups and groups[-1][-1][2] >= o1 - 1:
            groups[-1].append(hunk)
            if fix is not None:
                owner[fix] = len(groups) - 1
        else:
            groups.append([hunk])
            if fix is not None:
                owner[fix] = len(groups) - 1
    return groups


@lru_cache(maxsize=4)
def _fix_spans(original: str, path: Path) -> list[Rows]:
    """The lines of each of ruff's safe fixes of the original (one fix, one unit)."""
    try:
        items = diagnostic_items(["--no-unsafe-fixes"], original, path)
    except (AgentfixError, OSError, subprocess.SubprocessError, ValueError):
        return []
    return [_rows_of(item) for item in items if _safe(item)]


def _opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    return opcodes([_strip(s) for s in a], [_strip(s) for s in b])


def _equal_map(a: list[str], b: list[str]) -> dict[int, int]:
    """Line ``i`` of ``a`` -> line of ``b``, for lines inside equal blocks."""
    found: dict[int, int] = {}
    for tag, i1, i2, j1, _ in _opcodes(a, b):
        if tag == "equal":
            found.update((i, j1 + i - i1) for i in range(i1, i2))
    return found


def changed_rows(before: str, after: str) -> Rows:
    """Lines of ``after`` that differ from ``before``; a deletion marks its neighbours."""
    old, new = split_lines(before, keepends=True), split_lines(after, keepends=True)
    rows: Rows = set()
    for tag, _, _, j1, j2 in opcodes([_strip(s) for s in old], [_strip(s) for s in new]):
        if tag != "equal":
            rows.update(range(j1, j2) if j2 > j1 else (j1 - 1, j1))
    return rows


def apply_fixes(text: str, fixes: list[dict[str, Any]]) -> str:
    """``text`` with the edits of ``fixes``; a fix that overlaps one before it waits for
    the next pass (ruff does the same)."""
    starts = line_starts(text)

    def offset(where: dict[str, int]) -> int:
        row, column = where.get("row", 1), where.get("column", 1)
        return len(text) if row > len(starts) else min(starts[row - 1] + column - 1, len(text))

    edits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    planned = [
        sorted((offset(e["location"]), offset(e["end_location"]), e["content"]) for e in f["edits"])
        for f in fixes
        if f.get("edits")
    ]
    for fix in sorted(planned):
        first, last = fix[0][0], max(end for _, end, _ in fix)
        if any((first < t_end and t_start < last) or first == t_start for t_start, t_end in taken):
            continue
        taken.append((first, last))
        edits.extend(fix)
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    return text


def _strip(line: str) -> str:
    return line.rstrip("\r\n")


def _safe(item: dict[str, Any]) -> bool:
    fix = item.get("fix")
    return isinstance(fix, dict) and fix.get("applicability") == "safe"


def _new_rows(items: list[dict[str, Any]], original: Sequence[Diagnostic]) -> Rows:
    """Lines of the diagnostics that the validator would count as added."""
    found = [(diagnostic_of(item), item) for item in items]
    added = added_diagnostics(list(original), [d for d, _ in found])
    rows: Rows = set()
    for diag, item in found:
        if diag in added:
            added.remove(diag)
            rows |= _span(item.get("location"), item.get("end_location"))
    return rows


def _rows_of(item: dict[str, Any]) -> Rows:
    """Lines a diagnostic and its fix's edits cover."""
    rows = _span(item.get("location"), item.get("end_location"))
    for edit in item["fix"].get("edits") or []:
        rows |= _span(edit.get("location"), edit.get("end_location"))
    return rows


def _span(start: dict[str, int] | None, end: dict[str, int] | None) -> Rows:
    """0-based lines of a 1-based ruff range; an end at column 1 stops before its line."""
    first = (start or {}).get("row", 1)
    last = (end or {}).get("row", first)
    if last > first and (end or {}).get("column", 0) == 1:
        last -= 1
    return set(range(max(first - 1, 0), max(last, first)))
