"""Line diffs whose cost is bounded by the size of the input, not by its shape.

``difflib.SequenceMatcher`` is quadratic (and worse) in lines that repeat: two candidates of
a 0.6 MB file whose changes are spread out took over 300 s to compare, on a 120 s budget and
on the language server's event loop. Every line diff of a fix goes through ``opcodes``:

1. lines shared at the start and the end are set aside (a fix changes a few lines);
2. what remains is split at lines that occur exactly once on both sides and in the same
   order (patience diff's anchors: O(n log n));
3. each piece between anchors goes to difflib while the pairs it compares stay within one
   budget for the whole diff; past it (and past a budget of anchor searches, which nest)
   a piece is reported replaced whole.

Opcodes are difflib's ``(tag, i1, i2, j1, j2)``, so a bounded diff is still a correct one,
only sometimes a larger one than the minimum.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from agentfix.source.lines import split_lines

Opcode = tuple[str, int, int, int, int]

SMALL_PIECE = 250_000  # line pairs difflib may compare for one piece (500 x 500 lines)
TOTAL_PAIRS = 4_000_000  # line pairs difflib may compare for one whole diff
ANCHOR_READS = 20  # times the anchor search may read each line, over all nested pieces


@dataclass
class _Budget:
    pairs: int  # line pairs difflib may still compare
    lines: int  # lines the anchor search may still read

    def take(self, pairs: int) -> bool:
        if pairs > min(self.pairs, SMALL_PIECE):
            return False
        self.pairs -= pairs
        return True

    def anchor(self, lines: int) -> bool:
        if lines > self.lines:
            return False
        self.lines -= lines
        return True


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes turning ``a`` into ``b``, in time bounded by their length."""
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    raw: list[Opcode] = []
    if head:
        raw.append(("equal", 0, head, 0, head))
    _middle(
        a,
        b,
        head,
        len(a) - tail,
        head,
        len(b) - tail,
        _Budget(TOTAL_PAIRS, ANCHOR_READS * (len(a) + len(b))),
        raw,
    )
    if tail:
        raw.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return _merged(raw)


def changed_count(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Lines removed plus lines added."""
    return sum((i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in opcodes(a, b) if tag != "equal")


def _middle(
    a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int, j2: int,
    budget: _Budget, out: list[Opcode],
) -> None:  # fmt: skip
    """Opcodes for ``a[i1:i2]`` -> ``b[j1:j2]``, in order; a stack, not recursion: pieces
    split at anchors can nest thousands deep."""
    work: list[Opcode] = [("range", i1, i2, j1, j2)]
    while work:
        tag, i1, i2, j1, j2 = work.pop()
        if tag == "equal" or (i1 == i2 and j1 == j2):
            out.append((tag, i1, i2, j1, j2))
        elif i1 == i2 or j1 == j2:
            out.append(("insert" if i1 == i2 else "delete", i1, i2, j1, j2))
        elif budget.take((i2 - i1) * (j2 - j1)):
            matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
            out.extend(
                (t, i1 + p, i1 + q, j1 + r, j1 + s) for t, p, q, r, s in matcher.get_opcodes()
            )
        elif budget.anchor(i2 - i1 + j2 - j1) and (anchors := _anchors(a, b, i1, i2, j1, j2)):
            pieces: list[Opcode] = []
            for i, j in anchors:
                pieces += [("range", i1, i, j1, j), ("equal", i, i + 1, j, j + 1)]
                i1, j1 = i + 1, j + 1
            pieces.append(("range", i1, i2, j1, j2))
            work.extend(reversed(pieces))  # popped in order
        else:
            out.append(("replace", i1, i2, j1, j2))


def _anchors(
    a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[int, int]]:
    """Lines unique to both ranges, the longest run of them in the same order."""
    seen_a: dict[Hashable, int] = {}
    for i in range(i1, i2):
        seen_a[a[i]] = -1 if a[i] in seen_a else i
    seen_b: dict[Hashable, int] = {}
    for j in range(j1, j2):
        seen_b[b[j]] = -1 if b[j] in seen_b else j
    pairs = [
        (i, seen_b[line]) for line, i in seen_a.items() if i >= 0 and seen_b.get(line, -1) >= 0
    ]
    pairs.sort()
    return _increasing(pairs)


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by i) whose j increase too."""
    tails: list[int] = []  # j of the last pair of the best run of each length
    ends: list[int] = []  # index in pairs of that pair
    back: list[int] = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tails, j)
        back[k] = ends[n - 1] if n else -1
        if n == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[n], ends[n] = j, k
    run: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def _merged(raw: list[Opcode]) -> list[Opcode]:
    """Adjacent opcodes of one kind joined, and touching changes joined into "replace"."""
    out: list[Opcode] = []
    for op in raw:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if out:
            tag, i1, _, j1, _ = out[-1]
            same = tag == op[0] == "equal"
            change = tag != "equal" and op[0] != "equal"
            if same or change:
                both = "equal" if same else _kind(i1, op[2], j1, op[4])
                out[-1] = (both, i1, op[2], j1, op[4])
                continue
        out.append(op)
    return out


def _kind(i1: int, i2: int, j1: int, j2: int) -> str:
    if i1 == i2:
        return "insert"
    return "delete" if j1 == j2 else "replace"


def unified(before: str, after: str, rel_path: str, context: int = 3) -> str:
    """``diff -u`` of two texts (as ``git diff`` shows them), from the bounded opcodes."""
    a, b = split_lines(before, keepends=True), split_lines(after, keepends=True)
    ops = opcodes(a, b)
    if all(op[0] == "equal" for op in ops):
        return ""
    out = [f"--- a/{rel_path}\n", f"+++ b/{rel_path}\n"]
    for group in _groups(ops, context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@\n")
        for tag, p, q, r, s in group:
            if tag == "equal":
                out += [" " + _ended(line) for line in a[p:q]]
                continue
            out += ["-" + _ended(line) for line in a[p:q]]
            out += ["+" + _ended(line) for line in b[r:s]]
    return "".join(out)


def _groups(ops: list[Opcode], n: int) -> list[list[Opcode]]:
    """Changes with ``n`` lines of context, split where equal runs are longer than 2n."""
    ops = list(ops)
    if ops[0][0] == "equal":
        _, i1, i2, j1, j2 = ops[0]
        ops[0] = ("equal", max(i1, i2 - n), i2, max(j1, j2 - n), j2)
    if ops[-1][0] == "equal":
        _, i1, i2, j1, j2 = ops[-1]
        ops[-1] = ("equal", i1, min(i2, i1 + n), j1, min(j2, j1 + n))
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal" and i2 - i1 > 2 * n and group:
            group.append((tag, i1, i1 + n, j1, j1 + n))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - n), max(j1, j2 - n)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _range(start: int, stop: int) -> str:
    length = stop - start
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def _ended(line: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
