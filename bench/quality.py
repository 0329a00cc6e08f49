"""Fix quality and speed of ``agentfix fix`` with a real local model, over ``bench/cases``.

Every case is a small project (``bench/cases/NN_name/``): one buggy module (and sometimes a
second module it imports), its pytest tests, a ``pyproject.toml`` (pytest config, ruff
``select = ["E", "F"]``) and ``case.json`` (``file``, ``kind``, ``description``, ``split`` and
``fixed``, the reference fix, which is never copied next to the case, so neither agentfix nor
the model can see it). ``bench/cases/README.md`` describes the two sets of cases.

Split: every case is in the ``dev`` half (look at it, tune on it) or the ``reported`` half
(only ever measured, never looked at while tuning); ``--split dev|reported|all`` (default all)
selects cases in every mode (``--report`` too, by case name). The split was chosen once by a
fixed rule and is frozen in case.json: within each set (``CASE_SETS``), the cases ordered by
kind (in ``KINDS`` order) and then by number alternate dev, reported, dev, ... (so
consecutive cases of a kind fall in different halves, and each set splits in halves).
``--check`` warns when a case.json differs from the rule.

Check that every case is sound (the buggy module fails its tests or ruff; the reference fix
passes both), without any model:

    .venv/bin/python bench/quality.py --check
    .venv/bin/python bench/quality.py --list --split dev     # the selection only, no checks

Measure (each case runs in a fresh temporary copy, one agentfix process at a time, with
AGENTFIX_PARALLEL_REQUESTS=1 for single-request servers such as llama.cpp):

    .venv/bin/python bench/quality.py --provider ollama --base-url http://127.0.0.1:11434 \\
        --model qwen2.5-coder-1.5b --configs single,loop --k 1,2 --out /tmp/quality.jsonl

(Through an OpenAI-compatible server that sends no token usage while streaming, as the
llama.cpp front used here, the output-token columns stay empty; its Ollama API reports them.)

Configs: ``single`` is 1 round with 1 candidate; ``loop`` is ``--loop-rounds`` (3) rounds with
K candidates for every K in ``--k``. By default (``--order config``) every config runs over
all cases before the next config starts: running the same case back to back would hand the
later configs the server's cached prompt prefix (a much shorter time to first token).
``--order case`` runs all configs of a case back to back instead (fairer under changing load,
but biased towards later configs). After each run the resulting file is checked again,
independently of agentfix (the case's tests, with ``--python`` or this interpreter, and
``ruff check`` on the file): a "fixed" status whose file then fails the tests is a *false
validated* fix. Raw records go to ``--out`` (JSON lines, flushed per case);
``--report FILE...`` prints the tables again from such files without running anything. Several
files are merged in order: a later record of the same model, provider, config and case replaces
an earlier one (so a re-run of a few cases can patch a full run); with more than one model or
provider, config labels read ``<model>/<provider>/<config>``. ``bench/quality_all.sh`` runs
the whole comparison (every model, single and loop configs) and reports it.

Definitions used in the tables:

* seconds per case: wall time of the ``agentfix fix`` process (startup included);
* model time: ``timings.generation``, the time agentfix spent waiting for model answers;
* agent overhead: ``timings.total`` minus model time, i.e. everything agentfix does that is
  not waiting for the model (baseline checks, ruff, candidate validation, the graph);
  "of which checks" is ``timings.baseline + timings.validation`` (compile, ruff and the
  case's tests, on the original and on candidates); startup is wall time minus
  ``timings.total`` (imports, CLI);
* output tokens per fix: all output tokens of a config (fixed or not) / number of fixes;
* time to first token: per answer, from the request to its first streamed text, round 1 vs
  later rounds (later rounds can reuse the server's cached prompt prefix);
* changed lines: the two texts' lines (trailing whitespace stripped) aligned by
  ``difflib.SequenceMatcher``; every differing block counts the larger of its removed and
  added lines (a rewritten line counts once). Recorded per run as ``changed_lines``
  (original vs the file agentfix left) next to ``reference_changed_lines`` (original vs the
  case's ``fixed``); the tables show both medians over the runs that changed the file;
* faithful: ``lost_lines`` are the non-blank lines of the original that the reference fix
  keeps (aligned as above) but agentfix's file no longer has. A run is faithful when it lost
  no line of the module docstring, no line of the closing comment block (the comment lines
  after the file's last code line) and at most ``reference_changed_lines`` other lines (room
  to fix the bug on other lines than the reference did). Recorded as ``faithful``,
  ``kept_docstring`` and ``kept_closing``; the tables count the unfaithful runs among those
  that changed the file.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from quality_report import Record, cmd_report, markdown_table, report  # beside this script

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
KINDS = (
    "off-by-one",
    "wrong-operator",
    "wrong-comparison",
    "missing-return",
    "wrong-variable",
    "recursion-base-case",
    "mutable-default",
    "exception-handling",
    "type-mixup",
    "integer-division",
    "wrong-method",
    "lint-only",
    "syntax-error",
    "multi-function",
    "nested-dict-key",
    "sort-key",
    "generator-exhaustion",
    "late-binding-closure",
    "shadowed-variable",
    "inverted-condition",
    "wrong-initial-value",
    "swapped-arguments",
    "shared-state",
)
# case.json holds the reference fix: it must never be next to the file agentfix fixes
COPY_IGNORE = shutil.ignore_patterns("case.json", "__pycache__", ".pytest_cache", ".ruff_cache")
TEST_TIMEOUT = 60.0
SLOW_TESTS = 2.0  # seconds pytest reports for the tests; the checker warns above it
PYTEST_TIME = re.compile(r" in (\d+(?:\.\d+)?)s")
KILL_GRACE = 60.0  # seconds the runner waits beyond --timeout before killing agentfix
MIN_LINES, MAX_LINES = 10, 150
REFERENCE_MAX_CHANGED = 3  # the checker warns when a reference fix changes more lines
SPLITS = ("dev", "reported")
# (name, first number, last number): the split rule alternates within each set of cases
CASE_SETS = (("helpers", 1, 40), ("algorithms", 41, 82))
DEFAULT_URLS = {"ollama": "http://127.0.0.1:11434", "openai": "http://127.0.0.1:8080/v1"}


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    root: Path
    file: str
    kind: str
    description: str
    fixed: str
    split: str | None = None  # "dev" or "reported"; None when case.json has none

    @property
    def buggy(self) -> str:
        return (self.root / self.file).read_text(encoding="utf-8")

    @property
    def number(self) -> int:
        """The NN of ``NN_name`` (0 when the name does not start with a number)."""
        head = self.name.split("_", 1)[0]
        return int(head) if head.isdigit() else 0

    @property
    def case_set(self) -> str:
        return next((name for name, lo, hi in CASE_SETS if lo <= self.number <= hi), "other")


def load_cases(root: Path, pattern: str, limit: int | None, split: str = "all") -> list[Case]:
    """Case folders under ``root`` whose name matches ``pattern`` (globs, comma-separated)
    and, unless ``split`` is "all", whose case.json puts them in that split; sorted by name."""
    cases = []
    folders = {f for glob in pattern.split(",") if glob.strip() for f in root.glob(glob.strip())}
    for folder in sorted(folders):
        meta_path = folder / "case.json"
        if not meta_path.is_file():
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        missing = {"file", "kind", "description", "fixed"} - set(meta)
        if missing:
            raise SystemExit(f"{meta_path}: missing keys {sorted(missing)}")
        if split != "all" and meta.get("split") != split:
            continue
        cases.append(
            Case(
                folder.name,
                folder,
                meta["file"],
                meta["kind"],
                meta["description"],
                meta["fixed"],
                meta.get("split"),
            )
        )
    if not cases:
        where = "" if split == "all" else f" in split {split!r}"
        raise SystemExit(f"no case matches {pattern!r}{where} under {root}")
    return cases[:limit] if limit else cases


def rule_splits(cases: list[Case]) -> dict[str, str]:
    """The split rule: within each set, the cases ordered by kind (``KINDS`` order, unknown
    kinds last) and then by number alternate dev, reported, dev, ...

    Applied once to choose the splits frozen in case.json; ``--check`` compares.
    """
    by_set: dict[str, list[Case]] = {}
    for case in cases:
        by_set.setdefault(case.case_set, []).append(case)
    found: dict[str, str] = {}
    for members in by_set.values():
        members.sort(
            key=lambda c: (KINDS.index(c.kind) if c.kind in KINDS else len(KINDS), c.number)
        )
        for i, case in enumerate(members):
            found[case.name] = SPLITS[i % 2]
    return found


def split_summary(cases: list[Case]) -> str:
    """How many cases per split, in all and per set."""
    sets = list(dict.fromkeys(case.case_set for case in cases))

    def counts(group: list[Case]) -> str:
        found = Counter(case.split or "none" for case in group)
        return ", ".join(f"{split} {found[split]}" for split in (*SPLITS, "none") if found[split])

    per_set = "; ".join(
        f"{name}: {counts([c for c in cases if c.case_set == name])}" for name in sets
    )
    return f"{len(cases)} cases ({counts(cases)}); per set: {per_set}"


# --- diff size and faithfulness --------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def _opcodes(before: list[str], after: list[str]) -> Sequence[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()


def changed_lines(before: str, after: str) -> int:
    """Changed lines between two texts: per differing block, the larger of the lines removed
    and the lines added (trailing whitespace ignored)."""
    return sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in _opcodes(_lines(before), _lines(after))
        if tag != "equal"
    )


def kept_lines(before: str, after: str) -> set[int]:
    """Indices of the lines of ``before`` that ``after`` keeps unchanged (aligned)."""
    return {
        i
        for tag, i1, i2, _, _ in _opcodes(_lines(before), _lines(after))
        if tag == "equal"
        for i in range(i1, i2)
    }


DOCSTRING_START = re.compile(r"[rRuU]?(\"\"\"|''')")


def docstring_lines(lines: list[str]) -> set[int]:
    """Indices of the module docstring's lines, found by text (a syntax error elsewhere does
    not matter): a triple-quoted string at the start of the first line of code."""
    first = next(
        (i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None
    )
    start = DOCSTRING_START.match(lines[first]) if first is not None else None
    if first is None or start is None:
        return set()
    quote = start.group(1)
    if quote in lines[first][start.end() :]:
        return {first}
    end = next((j for j in range(first + 1, len(lines)) if quote in lines[j]), None)
    return set(range(first, end + 1)) if end is not None else set()


def closing_comment_lines(lines: list[str]) -> set[int]:
    """Indices of the closing comment block: the comment lines (blank lines between them
    allowed) after the file's last line of code."""
    block: set[int] = set()
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped.startswith("#"):
            block.add(i)
        elif stripped:
            break
    return block


def diff_metrics(original: str, result: str, reference: str) -> Record:
    """Diff size of agentfix's file and of the reference fix against the original, and the
    faithful flag (see the module docstring)."""
    lines = _lines(original)
    reference_changed = changed_lines(original, reference)
    lost = kept_lines(original, reference) - kept_lines(original, result)
    lost = {i for i in lost if lines[i].strip()}
    docstring, closing = docstring_lines(lines), closing_comment_lines(lines)
    kept_docstring, kept_closing = not lost & docstring, not lost & closing
    return {
        "changed_lines": changed_lines(original, result),
        "reference_changed_lines": reference_changed,
        "lost_lines": len(lost),
        "kept_docstring": kept_docstring,
        "kept_closing": kept_closing,
        "faithful": (
            kept_docstring and kept_closing and len(lost - docstring - closing) <= reference_changed
        ),
    }


def copy_case(case: Case, tmp: Path) -> Path:
    """A fresh copy of the case's project (without case.json) inside ``tmp``."""
    project = tmp / case.name
    shutil.copytree(case.root, project, ignore=COPY_IGNORE)
    return project


# --- independent checks ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    ok: bool
    output: str
    seconds: float  # wall time of the process

    @property
    def reported(self) -> float | None:
        """The duration pytest reports for running the tests (startup excluded)."""
        found = PYTEST_TIME.findall(self.output)
        return float(found[-1]) if found else None


def ruff_binary() -> str:
    try:
        from ruff import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        found = shutil.which("ruff")
        if not found:
            raise SystemExit("ruff is not installed (pip install ruff)") from None
        return found


def _run(cmd: Sequence[str], cwd: Path, timeout: float) -> Outcome:
    start = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome(False, f"timed out after {timeout:.0f}s", time.monotonic() - start)
    return Outcome(
        proc.returncode == 0, (proc.stderr + proc.stdout).strip(), time.monotonic() - start
    )


def run_tests(project: Path, python: str) -> Outcome:
    """The case's pytest suite (configured in its pyproject.toml, which adds -q)."""
    cmd = [python, "-m", "pytest", "--tb=short", "-p", "no:cacheprovider"]
    return _run(cmd, project, TEST_TIMEOUT)


def run_ruff(project: Path, target: str) -> Outcome:
    """``ruff check`` with the case's own configuration (found from ``target``)."""
    cmd = [ruff_binary(), "check", "--no-cache", "--output-format", "concise", target]
    return _run(cmd, project, 30.0)


def compiles(source: str, filename: str) -> bool:
    try:
        compile(source, filename, "exec")
    except SyntaxError:
        return False
    return True


def tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.splitlines()[-lines:])


# --- --check ---------------------------------------------------------------------------------


def check_case(
    case: Case, python: str, rule: str | None = None
) -> tuple[list[str], list[str], Record]:
    """(problems, warnings, row) for one case, all checked in a temporary copy; ``rule`` is
    the split the split rule gives the case."""
    problems: list[str] = []
    warnings: list[str] = []
    buggy = case.buggy
    if case.kind not in KINDS:
        problems.append(f"unknown kind {case.kind!r}")
    if buggy == case.fixed:
        problems.append("the buggy file equals the reference fix")
    if case.split is None:
        warnings.append("case.json has no split")
    elif case.split not in SPLITS:
        problems.append(f"unknown split {case.split!r} (use {' or '.join(SPLITS)})")
    elif rule and case.split != rule:
        warnings.append(f"split {case.split!r} differs from the split rule's {rule!r}")
    lines = len(buggy.splitlines())
    if not MIN_LINES <= lines <= MAX_LINES:
        warnings.append(f"{case.file} has {lines} lines (want {MIN_LINES}-{MAX_LINES})")
    fix_lines = changed_lines(buggy, case.fixed)
    if fix_lines > REFERENCE_MAX_CHANGED and case.kind not in ("lint-only", "syntax-error"):
        warnings.append(f"the reference fix changes {fix_lines} lines")
    with tempfile.TemporaryDirectory(prefix="agentfix-check-") as tmp:
        project = copy_case(case, Path(tmp))
        bug_tests = run_tests(project, python)
        bug_ruff = run_ruff(project, case.file)
        (project / case.file).write_text(case.fixed, encoding="utf-8")
        fix_tests = run_tests(project, python)
        fix_ruff = run_ruff(project, ".")  # the whole project: tests must be clean too
    if bug_tests.ok and bug_ruff.ok:
        problems.append("the buggy version passes its tests and ruff: nothing to fix")
    if not fix_tests.ok:
        problems.append(f"the reference fix fails its tests:\n{tail(fix_tests.output)}")
    if not fix_ruff.ok:
        problems.append(f"the reference fix (or its tests) fails ruff:\n{tail(fix_ruff.output)}")
    if case.kind == "lint-only" and bug_ruff.ok:
        problems.append("a lint-only case whose buggy version is ruff-clean")
    if case.kind == "syntax-error" and compiles(buggy, case.file):
        problems.append("a syntax-error case whose buggy version compiles")
    if case.kind not in ("lint-only", "syntax-error") and bug_tests.ok:
        problems.append(f"the buggy version of a {case.kind} case passes its tests")
    slowest = max(bug_tests.reported or 0.0, fix_tests.reported or 0.0)
    if slowest > SLOW_TESTS:
        warnings.append(f"tests took {slowest:.1f}s (want under {SLOW_TESTS:.0f}s)")
    if case.kind not in ("lint-only", "syntax-error") and not bug_ruff.ok:
        warnings.append(f"ruff also flags the buggy version: {tail(bug_ruff.output, 3)}")
    row = {
        "case": case.name,
        "kind": case.kind,
        "split": case.split or "-",
        "lines": lines,
        "fix lines": fix_lines,
        "buggy tests": "pass" if bug_tests.ok else "FAIL",
        "buggy ruff": "clean" if bug_ruff.ok else f"{ruff_count(bug_ruff.output)} issue(s)",
        "fixed tests": "pass" if fix_tests.ok else "FAIL",
        "fixed ruff": "clean" if fix_ruff.ok else "FAIL",
        "tests s": f"{slowest:.2f}",
        "pytest wall s": f"{max(bug_tests.seconds, fix_tests.seconds):.1f}",
        "sound": "yes" if not problems else "NO",
    }
    return problems, warnings, row


def ruff_count(output: str) -> int:
    return sum(1 for line in output.splitlines() if ": " in line and line[:1] not in " |")


def cmd_check(cases: list[Case], python: str, rule: dict[str, str]) -> int:
    print(f"Command: `{shlex.join([sys.executable, *sys.argv])}`\n")
    rows: list[Record] = []
    bad = 0
    notes: list[str] = []
    for case in cases:
        problems, warnings, row = check_case(case, python, rule.get(case.name))
        rows.append(row)
        bad += bool(problems)
        notes += [f"- {case.name}: PROBLEM: {p}" for p in problems]
        notes += [f"- {case.name}: warning: {w}" for w in warnings]
        print(f"checked {case.name}: {row['sound']}", file=sys.stderr, flush=True)
    print(markdown_table(list(rows[0]), [list(r.values()) for r in rows]))
    kinds = Counter(c.kind for c in cases)
    print("\nCases per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"Cases per split: {split_summary(cases)}")
    if notes:
        print("\n" + "\n".join(notes))
    print(f"\n{len(cases) - bad}/{len(cases)} cases sound.")
    return 1 if bad else 0


def cmd_list(cases: list[Case], rule: dict[str, str]) -> int:
    """The selected cases with set, kind and split (nothing is run)."""
    rows = [
        [
            case.name,
            case.case_set,
            case.kind,
            case.split or "-",
            "ok" if rule.get(case.name) == case.split else f"rule: {rule.get(case.name)}",
            len(case.buggy.splitlines()),
            changed_lines(case.buggy, case.fixed),
        ]
        for case in cases
    ]
    header = ["case", "set", "kind", "split", "rule", "lines", "fix lines"]
    print(markdown_table(header, rows))
    print(f"\n{split_summary(cases)}")
    return 0


# --- running agentfix ------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    label: str
    rounds: int
    k: int


def parse_configs(names: str, ks: str, loop_rounds: int) -> list[Config]:
    configs: list[Config] = []
    for name in (n.strip() for n in names.split(",") if n.strip()):
        if name == "single":
            configs.append(Config("single", 1, 1))
        elif name == "loop":
            configs += [Config(f"loop-k{int(k)}", loop_rounds, int(k)) for k in ks.split(",")]
        else:
            raise SystemExit(f"unknown config {name!r} (use single, loop)")
    if not configs:
        raise SystemExit("no configs given")
    return configs


def agentfix_executable() -> list[str]:
    """The ``agentfix`` script next to this interpreter, else the one on PATH."""
    sibling = Path(sys.executable).parent / "agentfix"
    if sibling.is_file():
        return [str(sibling)]
    found = shutil.which("agentfix")
    return [found] if found else [sys.executable, "-m", "agentfix"]


def agentfix_command(args: argparse.Namespace, config: Config, target: Path) -> list[str]:
    return [
        *agentfix_executable(),
        "fix",
        str(target),
        "--json",
        "--provider",
        args.provider,
        "--base-url",
        args.base_url,
        "--model",
        args.model,
        "--rounds",
        str(config.rounds),
        "--candidates",
        str(config.k),
        "--timeout",
        f"{args.timeout:g}",
        *(["--python", args.python] if args.python else []),
    ]


def run_agentfix(cmd: list[str], cwd: Path, limit: float) -> tuple[int | None, str, str, float]:
    """(exit code or None when killed, stdout, stderr, wall seconds)."""
    env = {**os.environ, "AGENTFIX_PARALLEL_REQUESTS": "1"}
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a kill reaches its test runs
    )
    try:
        out, err = proc.communicate(timeout=limit)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    except BaseException:  # Ctrl-C of the runner: do not leave agentfix behind
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return code, out, err, time.monotonic() - start


def answers_from(result: Record, trace: Record | None) -> list[Record]:
    """Every model answer with its round and costs.

    Candidates carry tokens, but answers without a code block (or that were unchanged) never
    become candidates; the trace lists every answer, so answers are taken from it and tokens
    are matched from the candidates (by round and answer time).
    """
    from_candidates = [
        {"round": c["round"], **c["answer"], "validated": c["validated"]}
        for c in result.get("candidates", [])
        if c.get("answer")
    ]
    if trace is None:
        return from_candidates
    answers = []
    for event in trace.get("events", []):
        if event.get("kind") != "answer":
            continue
        match = next(
            (
                a
                for a in from_candidates
                if a["round"] == event.get("round")
                and abs(a["seconds"] - event.get("seconds", -1)) < 1e-3
            ),
            None,
        )
        answers.append(
            {
                "round": event.get("round"),
                "seconds": event.get("seconds"),
                "first_token_s": event.get("first_token_s"),
                "output_tokens": match["output_tokens"] if match else None,
                "prompt_tokens": match["prompt_tokens"] if match else None,
                "candidate": match is not None,
                "validated": bool(match and match["validated"]),
                "chars": len(event.get("text") or ""),
                "error": event.get("error"),
            }
        )
    return answers


def run_case(case: Case, config: Config, args: argparse.Namespace) -> Record:
    """One ``agentfix fix`` run on a fresh copy, then an independent check of the result."""
    record: Record = {
        "type": "result",
        "model": args.model,
        "provider": args.provider,
        "config": config.label,
        "max_rounds": config.rounds,
        "k": config.k,
        "case": case.name,
        "kind": case.kind,
        "split": case.split,
    }
    with tempfile.TemporaryDirectory(prefix="agentfix-quality-") as tmp:
        project = copy_case(case, Path(tmp))
        target = project / case.file
        original = target.read_text(encoding="utf-8")
        trace_path = Path(tmp) / "trace.json"
        cmd = [*agentfix_command(args, config, target), "--trace", str(trace_path)]
        code, out, err, wall = run_agentfix(cmd, project, args.timeout + KILL_GRACE)
        record.update(exit_code=code, wall_s=round(wall, 3))
        result: Record = {}
        try:
            result = json.loads(out) if out.strip() else {}
        except json.JSONDecodeError:
            record["error"] = f"unparsable JSON on stdout: {out[:300]!r}"
        if code is None:
            record["error"] = f"killed after {args.timeout + KILL_GRACE:.0f}s"
        elif not result and "error" not in record:
            record["error"] = tail(err, 5) or f"exit code {code}, no output"
        trace = None
        if trace_path.is_file():
            try:
                trace = json.loads(trace_path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                trace = None
            if args.traces:
                args.traces.mkdir(parents=True, exist_ok=True)
                shutil.copy(trace_path, args.traces / f"{case.name}.{config.label}.json")
        best = next(
            (c for c in result.get("candidates", []) if c["id"] == result.get("best_candidate")),
            None,
        )
        record.update(
            status=result.get("status", "error"),
            rounds=result.get("rounds", 0),
            written=result.get("written", False),
            timings=result.get("timings", {}),
            candidates=len(result.get("candidates", [])),
            best_origin=best["origin"] if best else None,
            best_round=best["round"] if best else None,
            answers=answers_from(result, trace),
            message=tail(result.get("message", ""), 6),
        )
        after = target.read_text(encoding="utf-8")
        record["changed"] = after != original
        record.update(diff_metrics(original, after, case.fixed))
        python = args.python or sys.executable
        record.update(verify(project, case, after, python) if record["changed"] else {})
    fixed = record["status"] == "fixed"
    record["verified"] = bool(fixed and record.get("tests_ok") and record.get("ruff_ok"))
    record["false_validated"] = bool(fixed and record["changed"] and not record.get("tests_ok"))
    record["lint_left"] = bool(fixed and record.get("tests_ok") and not record.get("ruff_ok"))
    record["wrote_without_fix"] = bool(record["changed"] and not fixed)
    return record


def verify(project: Path, case: Case, source: str, python: str) -> Record:
    """The case's tests and ruff on the file as agentfix left it."""
    tests = run_tests(project, python) if compiles(source, case.file) else None
    ruff = run_ruff(project, case.file)
    found: Record = {
        "compiles": tests is not None,
        "tests_ok": bool(tests and tests.ok),
        "ruff_ok": ruff.ok,
    }
    if tests is not None and not tests.ok:
        found["tests_output"] = tail(tests.output, 15)
    if not ruff.ok:
        found["ruff_output"] = tail(ruff.output, 8)
    return found


def progress_line(i: int, n: int, record: Record) -> str:
    status = record["status"]
    if record["verified"]:
        status += " (verified)"
    elif record["false_validated"]:
        status += " (FALSE: tests fail)"
    elif record["lint_left"]:
        status += " (ruff still fails)"
    extra = f" error: {record['error']}" if record.get("error") else ""
    return (
        f"[{i}/{n}] {record['config']:<8} {record['case']:<26} {status:<22} "
        f"{record['wall_s']:6.1f}s rounds {record['rounds']}{extra}"
    )


def cmd_run(cases: list[Case], configs: list[Config], args: argparse.Namespace) -> int:
    example = agentfix_command(args, configs[0], Path("<copy>") / "<file>")
    print(f"Command: `{shlex.join([sys.executable, *sys.argv])}`")
    print(
        "Each run: `AGENTFIX_PARALLEL_REQUESTS=1 " + shlex.join(example) + "` "
        "with --rounds/--candidates per config."
    )
    print(f"Split {args.split}: {split_summary(cases)}\n")
    sys.stdout.flush()
    records: list[Record] = []
    out: TextIO | None = args.out.open("w", encoding="utf-8") if args.out else None
    total = len(cases) * len(configs)
    try:
        if out:
            meta = {
                "type": "meta",
                "command": [sys.executable, *sys.argv],
                "agentfix": example,
                "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "configs": [c.__dict__ for c in configs],
                "split": args.split,
                "cases": [c.name for c in cases],
            }
            out.write(json.dumps(meta) + "\n")
        if args.order == "case":
            plan = [(case, config) for case in cases for config in configs]
        else:
            plan = [(case, config) for config in configs for case in cases]
        for case, config in plan:
            record = run_case(case, config, args)
            records.append(record)
            print(progress_line(len(records), total, record), file=sys.stderr, flush=True)
            if out:
                out.write(json.dumps(record) + "\n")
                out.flush()
            if record["status"] == "provider_error" and args.stop_on_provider_error:
                raise SystemExit(f"provider error: {record.get('message')}")
    finally:
        if out:
            out.close()
    print(report(records))
    return 0


# --- CLI -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="check that every case is sound")
    mode.add_argument(
        "--list", action="store_true", help="list the selected cases and their split; run nothing"
    )
    mode.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSONL",
        help="tables from earlier --out files (merged; later records of a case replace earlier)",
    )
    parser.add_argument(
        "--cases", default="*", metavar="GLOB", help="case folder names (comma-separated globs)"
    )
    parser.add_argument("--cases-dir", type=Path, default=CASES_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--split",
        choices=["dev", "reported", "all"],
        default="all",
        help="dev: the half to tune on; reported: the half only measured (default: all)",
    )
    parser.add_argument("--limit", type=int, help="only the first N matching cases")
    parser.add_argument("--provider", choices=["ollama", "openai"], default="ollama")
    parser.add_argument(
        "--base-url", help="default: http://127.0.0.1:11434 (ollama), :8080/v1 (openai)"
    )
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--configs", default="single,loop", help="single, loop (comma list)")
    parser.add_argument("--k", default="1,2", help="candidates per round for loop configs")
    parser.add_argument("--loop-rounds", type=int, default=3, help="round cap of loop configs")
    parser.add_argument("--timeout", type=float, default=240.0, help="budget per case (s)")
    parser.add_argument(
        "--order",
        choices=["config", "case"],
        default="config",
        help="config: each config over all cases in turn (default); case: configs back to back",
    )
    parser.add_argument("--out", type=Path, help="write raw JSON lines here")
    parser.add_argument("--traces", type=Path, help="keep every agentfix trace in this folder")
    parser.add_argument(
        "--python",
        help="interpreter that runs the cases' tests, passed to agentfix as --python too "
        "(default: agentfix uses its own interpreter; the independent checks use this one)",
    )
    parser.add_argument(
        "--stop-on-provider-error",
        action="store_true",
        help="abort the run at the first provider error",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.report:
        try:  # records name their case; the split comes from the case folders (old files)
            known = load_cases(args.cases_dir, "*", None)
        except SystemExit:
            known = []
        splits = {case.name: case.split for case in known if case.split}
        return cmd_report(args.report, args.split, splits)
    cases = load_cases(args.cases_dir, args.cases, args.limit, args.split)
    rule = rule_splits(load_cases(args.cases_dir, "*", None))
    if args.list:
        return cmd_list(cases, rule)
    if args.check:
        return cmd_check(cases, args.python or sys.executable, rule)
    configs = parse_configs(args.configs, args.k, args.loop_rounds)
    args.base_url = args.base_url or DEFAULT_URLS[args.provider]
    return cmd_run(cases, configs, args)


if __name__ == "__main__":
    sys.exit(main())
