"""``agentfix fix`` on real projects from PyPI, with bugs injected into real modules.

One command fetches the projects (sdists, into ``--cache``), builds each one's virtual
environment with its test dependencies the way its users do, makes it a git repository
(so its ``.gitignore`` is honoured as in a user's checkout), injects one bug at a time and
runs ``agentfix fix FILE --json --trace T --provider openai --base-url URL/v1 --model
fake-model`` from the project's root against a scripted model (``tests/fake_llm.py``): the
first answer is a WRONG rewrite of the buggy function, the next one the RIGHT one (the
function as released). The interpreter is left to agentfix (no ``--python``), as a user
would; the one it reports in the trace's ``start`` event is recorded.

After each run the outcome is re-checked independently of agentfix: when a file was written
as fixed, the project's own tests run in its own venv on the real project (the test files
that cover the module; the whole suite once per project with ``--full-check once``). A file
written as fixed that then fails its tests is a FALSE VALIDATED fix. The file is then
restored with ``git checkout`` before the next case.

    python3 bench/real_repos.py --label after                   # agentfix of this checkout
    python3 bench/real_repos.py --checkout /tmp/agentfix-before --label before
    python3 bench/real_repos.py --check                         # cases sound? (no agentfix)
    python3 bench/real_repos.py --report bench/results/real-repos-after.jsonl
    python3 bench/real_repos.py --cases mit-divide --real-model http://127.0.0.1:11434 \
        --provider ollama          # the real model of ../shared/llm instead of the script

Projects (different shapes): more-itertools 10.5.0 (flat package, its ``.venv`` inside),
attrs 25.3.0 (src layout, ``pip install -e .[tests]``), sqlglot 25.24.0 (a large suite),
and a copy of more-itertools whose venv lives OUTSIDE the project (``<cache>/venvs/mit``),
found only through ``VIRTUAL_ENV``/``PATH`` as in an activated shell. Cases are split into
a ``dev`` half (used while changing the product) and a ``reported`` half (only reported).

Test runs per fix are read from the trace: ``test_run`` events (with a ``scope``) when the
product writes them; otherwise every ``tests`` check of the ``baseline`` and ``verdict``
events is one run, whose scope is its ``details.scope`` when present, else inferred from
the test command (a command naming no test file or node id runs the whole suite).

Needs only the standard library (run it with any Python 3.11+); ``pip`` and ``git`` must be
on PATH. Kept out of the default test run (``testpaths = ["tests"]``).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import hashlib
import importlib.util
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CACHE = Path("/tmp/agentfix-real")
RESULTS = HERE / "results"
KILL_AFTER = 1200.0  # seconds before a hung agentfix is killed (its own budget is 300 s)
CHECK_TIMEOUT = 1200.0  # one independent test run
Record = dict[str, Any]
GIT = [
    "git",
    "-c",
    "user.name=agentfix-bench",
    "-c",
    "user.email=bench@localhost",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]


# --- projects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectSpec:
    key: str  # folder name under <cache>/projects
    dist: str  # PyPI name
    version: str
    layout: str  # words for the tables
    install: tuple[str, ...]  # pip install arguments, run in the project folder
    venv_outside: bool = False  # venv at <cache>/venvs/<venv_name>, found via VIRTUAL_ENV
    venv_name: str = ".venv"
    env: tuple[tuple[str, str], ...] = ()  # environment of the install
    deselect: tuple[str, ...] = ()  # tests that fail on a clean checkout here (see notes)
    notes: str = ""

    def root(self, cache: Path) -> Path:
        return cache / "projects" / self.key

    def venv(self, cache: Path) -> Path:
        if self.venv_outside:
            return cache / "venvs" / self.venv_name
        return self.root(cache) / self.venv_name

    def python(self, cache: Path) -> Path:
        return self.venv(cache) / "bin" / "python"

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


PROJECTS: dict[str, ProjectSpec] = {
    spec.key: spec
    for spec in (
        ProjectSpec(
            "more-itertools",
            "more-itertools",
            "10.5.0",
            "flat package, .venv inside",
            ("-e", ".", "pytest"),
            notes="its own test command is `python -m unittest`; pytest runs those tests too",
        ),
        ProjectSpec(
            "attrs",
            "attrs",
            "25.3.0",
            "src layout, editable .venv inside",
            ("-e", ".[tests]", "mypy==1.15.0"),
            env=(("SETUPTOOLS_SCM_PRETEND_VERSION", "25.3.0"),),
            deselect=("tests/test_converters.py::TestPipe::test_wrapped_annotation",),
            notes="mypy pinned to 1.15.0 (the newest mypy changes messages its "
            "tests/test_mypy.yml expects); test_wrapped_annotation fails on a clean "
            "checkout here and is deselected in pyproject's addopts (a local commit)",
        ),
        ProjectSpec(
            "sqlglot",
            "sqlglot",
            "25.24.0",
            "large suite, .venv inside",
            ("-e", ".", "pytest", "duckdb==1.1.1", "pandas==2.2.3", "python-dateutil", "pytz"),
            env=(("SETUPTOOLS_SCM_PRETEND_VERSION", "25.24.0"),),
            notes="the test part of its [dev] extra; duckdb/pandas pinned to 2024 releases "
            "(duckdb 2.x fails two of its tests)",
        ),
        ProjectSpec(
            "mit-outside",
            "more-itertools",
            "10.5.0",
            "flat package, venv OUTSIDE (VIRTUAL_ENV)",
            ("-e", ".", "pytest"),
            venv_outside=True,
            venv_name="mit",
        ),
    )
}


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseSpec:
    name: str
    project: str
    half: str  # "dev" or "reported"
    kind: str
    file: str  # relative to the project root
    function: str  # module-level function the bug is in
    bug: tuple[str, str]  # (old, new) inside the function: the injected bug
    wrong: tuple[str, str]  # (old, new) inside the original function: the WRONG candidate
    tests: tuple[str, ...] = ()  # test files that cover it; () = the whole suite
    lint: str | None = None  # a lint-only case: the rule the "bug" adds (its tests still pass)


CASES: tuple[CaseSpec, ...] = (
    CaseSpec(
        "mit-tail",
        "more-itertools",
        "dev",
        "off-by-one",
        "more_itertools/recipes.py",
        "tail",
        ("len(iterable) - n)", "len(iterable) - n + 1)"),
        ("len(iterable) - n)", "len(iterable) - n - 1)"),
    ),
    CaseSpec(
        "mit-divide",
        "more-itertools",
        "reported",
        "wrong-comparison",
        "more_itertools/more.py",
        "divide",
        ("q + 1 if i <= r else q", "q + 1 if i < r else q"),
        ("q + 1 if i <= r else q", "q if i <= r else q + 1"),
    ),
    CaseSpec(
        "at-exclude",
        "attrs",
        "dev",
        "wrong-operator",
        "src/attr/filters.py",
        "exclude",
        ("or attribute.name in names", "and attribute.name in names"),
        ("or attribute.name in names", "or attribute.name not in names"),
        ("tests/test_filters.py", "tests/test_funcs.py"),
    ),
    CaseSpec(
        "at-to-bool",
        "attrs",
        "reported",
        "wrong-comparison",
        "src/attr/converters.py",
        "to_bool",
        ("if isinstance(val, str):", "if not isinstance(val, str):"),
        ('(True, "true", "t", "yes"', '(True, "true", "yes"'),
        ("tests/test_converters.py",),
    ),
    CaseSpec(
        "sq-merge-ranges",
        "sqlglot",
        "dev",
        "wrong-comparison",
        "sqlglot/helper.py",
        "merge_ranges",
        ("if start <= last_end:", "if start < last_end:"),
        ("if start <= last_end:", "if start <= last_start:"),
        ("tests/test_helper.py",),
    ),
    CaseSpec(
        "sq-subsecond",
        "sqlglot",
        "reported",
        "off-by-one",
        "sqlglot/time.py",
        "subsecond_precision",
        ("if subsecond_digit_count > 3:", "if subsecond_digit_count >= 3:"),
        ("if subsecond_digit_count > 3:", "if subsecond_digit_count > 4:"),
        ("tests/test_time.py",),
    ),
    CaseSpec(
        "mo-exactly-n",
        "mit-outside",
        "dev",
        "off-by-one",
        "more_itertools/more.py",
        "exactly_n",
        ("take(n + 1, ", "take(n, "),
        ("== n", ">= n"),
    ),
    CaseSpec(
        "mo-nth-combination",
        "mit-outside",
        "reported",
        "wrong-comparison",
        "more_itertools/recipes.py",
        "nth_combination",
        ("while index >= c:", "while index > c:"),
        ("result.append(pool[-1 - n])", "result.append(pool[-n])"),
    ),
    # lint-only: the file's behaviour is right and its tests pass; the project's ruff flags
    # an ambiguous name (E741, which no ruff fix removes), so the model is asked. The WRONG
    # answer renames it away but changes behaviour; only tests that import the candidate see
    # that. (A twin in more-itertools, "mit-lint-derivative", was retired: ruff 0.17's default
    # rules, which a project without ruff configuration gets, do not include E741.)
    CaseSpec(
        "at-lint-split-what",
        "attrs",
        "dev",
        "lint-only",
        "src/attr/filters.py",
        "_split_what",
        (
            "frozenset(cls for cls in what if isinstance(cls, str))",
            "frozenset(l for l in what if isinstance(l, str))",
        ),
        (
            "frozenset(cls for cls in what if isinstance(cls, str))",
            "frozenset(name for name in what if isinstance(name, type))",
        ),
        ("tests/test_filters.py", "tests/test_funcs.py"),
        lint="E741",
    ),
)


def function_span(source: str, name: str) -> tuple[int, int]:
    """(start, end) character offsets of module-level ``def name`` (decorators included)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            return offsets[first - 1], offsets[node.end_lineno or node.lineno]
    raise ValueError(f"no module-level function {name!r}")


def edit_function(source: str, name: str, old: str, new: str) -> str:
    """``source`` with ``old`` replaced by ``new`` inside function ``name`` (exactly once)."""
    start, end = function_span(source, name)
    body = source[start:end]
    if body.count(old) != 1:
        raise ValueError(f"{old!r} occurs {body.count(old)} times in {name}, want 1")
    return source[:start] + body.replace(old, new) + source[end:]


def function_text(source: str, name: str) -> str:
    start, end = function_span(source, name)
    return source[start:end].rstrip("\n") + "\n"


@dataclass(frozen=True)
class Variants:
    original: str  # the ideal fix
    buggy: str
    wrong: str  # the file with the WRONG candidate merged

    @classmethod
    def of(cls, case: CaseSpec, original: str) -> Variants:
        return cls(
            original,
            edit_function(original, case.function, *case.bug),
            edit_function(original, case.function, *case.wrong),
        )

    def answers(self, case: CaseSpec) -> list[str]:
        """The scripted model: a WRONG rewrite of the function first, then the RIGHT one."""
        wrong = function_text(self.wrong, case.function)
        right = function_text(self.original, case.function)
        return [
            f"Here is the corrected function:\n\n```python\n{wrong}```\n",
            f"Here is the corrected function:\n\n```python\n{right}```\n",
        ]


# --- shell helpers ---------------------------------------------------------------------------


def log(text: str) -> None:
    print(f"[real-repos {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run(
    cmd: Sequence[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        list(cmd), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and proc.returncode != 0:
        raise SystemExit(
            f"command failed ({proc.returncode}): {shlex.join(cmd)}\n"
            + tail(proc.stderr + proc.stdout, 30)
        )
    return proc


def tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def clean_env() -> dict[str, str]:
    """This process's environment without an activated venv or agentfix settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTFIX_")}
    venv = env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONHOME", None)
    if venv:  # drop the activated venv's bin from PATH too
        env["PATH"] = os.pathsep.join(
            p for p in env.get("PATH", "").split(os.pathsep) if p != f"{venv}/bin"
        )
    return env


def activated_env(venv: Path) -> dict[str, str]:
    """What ``source <venv>/bin/activate`` gives a shell."""
    env = clean_env()
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv}/bin{os.pathsep}{env.get('PATH', '')}"
    return env


# --- setting projects up ---------------------------------------------------------------------


def marker_path(spec: ProjectSpec, cache: Path) -> Path:
    return spec.root(cache) / ".git" / "agentfix-bench.json"


def read_marker(spec: ProjectSpec, cache: Path) -> Record | None:
    path = marker_path(spec, cache)
    if not path.is_file() or not spec.python(cache).exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if data.get("fingerprint") == spec.fingerprint() else None


def fetch_sdist(spec: ProjectSpec, cache: Path) -> Path:
    folder = cache / "sdist"
    folder.mkdir(parents=True, exist_ok=True)
    stems = {f"{spec.dist}-{spec.version}", f"{spec.dist.replace('-', '_')}-{spec.version}"}
    found = [p for p in folder.glob("*.tar.gz") if p.name.removesuffix(".tar.gz") in stems]
    if found:
        return found[0]
    log(f"pip download {spec.dist}=={spec.version} (sdist)")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-binary",
            ":all:",
            "--no-deps",
            f"{spec.dist}=={spec.version}",
            "-d",
            str(folder),
        ]
    )
    found = [p for p in folder.glob("*.tar.gz") if p.name.removesuffix(".tar.gz") in stems]
    if not found:
        raise SystemExit(f"pip download gave no sdist of {spec.dist} {spec.version} in {folder}")
    return found[0]


def _deselect_in_pyproject(root: Path, node_ids: Sequence[str]) -> None:
    """Add ``--deselect`` options to ``[tool.pytest.ini_options] addopts`` (a list)."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    head = 'addopts = ["'
    if head not in text:
        raise SystemExit(f"{path}: no list addopts to extend with --deselect")
    extra = "".join(f'"--deselect={n}", ' for n in node_ids)
    path.write_text(text.replace(head, "addopts = [" + extra + '"', 1), encoding="utf-8")


def prepare_project(spec: ProjectSpec, cache: Path, verify: bool = True) -> Record:
    """The project checked out (a git repository) with its venv; set up once, then reused."""
    marker = read_marker(spec, cache)
    if marker is not None:
        return marker
    root = spec.root(cache)
    sdist = fetch_sdist(spec, cache)
    log(f"setting up {spec.key} in {root}")
    shutil.rmtree(root, ignore_errors=True)
    if spec.venv_outside:
        shutil.rmtree(spec.venv(cache), ignore_errors=True)
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp, tarfile.open(sdist) as tar:
        tar.extractall(tmp, filter="data")
        (top,) = Path(tmp).iterdir()
        shutil.move(str(top), root)
    run([*GIT, "init", "-q"], cwd=root)
    run([*GIT, "add", "-A"], cwd=root)
    run([*GIT, "commit", "-q", "-m", f"{spec.dist} {spec.version} (sdist)"], cwd=root)
    local: list[str] = []
    ignored = ["git", "check-ignore", "-q", spec.venv_name + "/"]
    if not spec.venv_outside and run(ignored, cwd=root, check=False).returncode:
        with (root / ".gitignore").open("a", encoding="utf-8") as fh:
            fh.write(f"\n{spec.venv_name}/\n")
        local.append(f"{spec.venv_name}/ added to .gitignore")
    if spec.deselect:
        _deselect_in_pyproject(root, spec.deselect)
        local.append("deselected in pyproject addopts: " + ", ".join(spec.deselect))
    if local:
        run([*GIT, "commit", "-q", "-am", "local setup: " + "; ".join(local)], cwd=root)
    venv = spec.venv(cache)
    venv.parent.mkdir(parents=True, exist_ok=True)
    log(f"{spec.key}: python3 -m venv {venv}; pip install {shlex.join(spec.install)}")
    run([sys.executable, "-m", "venv", str(venv)])
    env = {**clean_env(), **dict(spec.env)}
    start = time.monotonic()
    run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *spec.install],
        cwd=root,
        env=env,
        timeout=1800,
    )
    install_s = time.monotonic() - start
    dirty = run(["git", "status", "--porcelain"], cwd=root).stdout.strip()
    if dirty:
        raise SystemExit(f"{root}: the install left files git does not ignore:\n{dirty}")
    marker = {
        "fingerprint": spec.fingerprint(),
        "project": spec.key,
        "sdist": sdist.name,
        "venv": str(venv),
        "install": ["pip", "install", *spec.install],
        "install_s": round(install_s, 1),
        "local_setup": local,
        "commit": run(["git", "rev-parse", "HEAD"], cwd=root).stdout.strip(),
    }
    if verify:
        outcome = run_project_tests(spec, cache, ())
        marker["suite"] = outcome.to_json()
        if not outcome.ok:
            raise SystemExit(
                f"{spec.key}: the clean checkout fails its own tests:\n{tail(outcome.output, 20)}"
            )
        log(f"{spec.key}: clean suite passes ({outcome.summary}, {outcome.seconds:.0f} s)")
    marker_path(spec, cache).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    return marker


# --- the project's own tests, run independently of agentfix -----------------------------------


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    scope: str  # "full" or the files run
    summary: str
    seconds: float
    output: str = field(repr=False, default="")

    def to_json(self) -> Record:
        return {
            "ok": self.ok,
            "scope": self.scope,
            "summary": self.summary,
            "seconds": round(self.seconds, 1),
        }


def run_project_tests(spec: ProjectSpec, cache: Path, files: Sequence[str]) -> TestOutcome:
    """pytest in the project's own venv (activated), on the real project folder."""
    venv = spec.venv(cache)
    cmd = [
        str(venv / "bin" / "python"),
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--tb=short",
        *files,
    ]
    env = {**activated_env(venv), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=spec.root(cache),
            env=env,
            capture_output=True,
            text=True,
            timeout=CHECK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        seconds = time.monotonic() - start
        return TestOutcome(
            False,
            "full" if not files else " ".join(files),
            f"timed out after {CHECK_TIMEOUT:.0f} s",
            seconds,
        )
    seconds = time.monotonic() - start
    output = proc.stdout + proc.stderr
    lines = [ln for ln in output.strip().splitlines() if ln.strip()]
    summary = lines[-1].strip("= ") if lines else f"exit {proc.returncode}"
    scope = "full" if not files else " ".join(files)
    return TestOutcome(proc.returncode == 0, scope, summary, seconds, output)


# --- reading agentfix's result and trace ------------------------------------------------------

FULL_SCOPES = {"full", "all", "suite", "project", "whole"}


def _names_tests(command: str | None) -> bool:
    """True when a test command names test files, folders or node ids (not the whole suite)."""
    if not command:
        return False
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    return any(w.endswith(".py") or "::" in w or w.startswith(("tests/", "test/")) for w in words)


TEST_CHECKS = ("tests", "suite", "rerun")  # the product's test check names (staged: 3)


def _is_test_run(check: Record) -> bool:
    name = str(check.get("name", ""))
    ran = check.get("status") not in ("skipped", "pending")
    return ran and (name in TEST_CHECKS or name.startswith("test"))


def test_runs(result: Record, trace: Record | None) -> list[Record]:
    """Every test run agentfix made that its trace shows, with scope ('full' or 'partial').

    Prefers the trace's ``test_run`` events (``scope`` field); else one run per test check
    (``tests``, ``suite``, ``rerun``) of the baseline and of every candidate's verdict
    (``details.scope``, or the command). ``how`` says where the scope came from.
    """
    events = (trace or {}).get("events", [])
    start = next((e for e in events if e.get("kind") == "start"), {})
    command = start.get("test_command") or result.get("test_command")
    explicit = [e for e in events if e.get("kind") == "test_run"]
    runs: list[Record] = []
    if explicit:
        for e in explicit:
            scope = str(e.get("scope") or "")
            details = e.get("details") or {}
            counts = {k: e.get(k, details.get(k)) for k in ("passed", "failed", "errors")}
            runs.append(
                {
                    "who": e.get("candidate", e.get("who")),
                    "scope": "full" if scope.lower() in FULL_SCOPES else "partial",
                    "scope_raw": scope,
                    "how": "test_run event",
                    "seconds": e.get("seconds"),
                    "status": e.get("status"),
                    "timed_out": bool(e.get("timed_out") or details.get("timed_out")),
                    "counts": {k: v for k, v in counts.items() if v is not None},
                }
            )
        return runs
    checks: list[tuple[Any, Record]] = []
    if trace is not None:
        for e in events:
            if e.get("kind") == "baseline":
                checks += [("baseline", c) for c in e.get("checks", [])]
            elif e.get("kind") == "verdict":
                checks += [(e.get("candidate"), c) for c in e.get("checks", [])]
    else:  # no trace: the result JSON has the same checks
        checks += [("baseline", c) for c in result.get("original_checks", [])]
        for cand in result.get("candidates", []):
            checks += [(cand.get("id"), c) for c in cand.get("checks", [])]
    for who, check in checks:
        if not _is_test_run(check):
            continue
        details = check.get("details") or {}
        if "scope" in details:
            raw = str(details["scope"])
            scope, how = ("full" if raw.lower() in FULL_SCOPES else "partial"), "details.scope"
        else:
            cmd = details.get("command") or command
            raw = ""
            scope, how = ("partial" if _names_tests(cmd) else "full"), "inferred from command"
        runs.append(
            {
                "who": who,
                "check": check.get("name"),
                "scope": scope,
                "scope_raw": raw,
                "how": how,
                "seconds": check.get("seconds"),
                "status": check.get("status"),
                "timed_out": bool(details.get("timed_out")),
                "counts": {k: details[k] for k in ("passed", "failed", "errors") if k in details},
            }
        )
    return runs


def run_counts(result: Record, runs: list[Record]) -> tuple[int, int, str]:
    """(full runs, partial runs, source). The result's ``timings`` counters ``runs.<scope>``
    win when present: they include the baseline's second (focused) run, which the trace's
    ``baseline`` event does not show as a check of its own."""
    counters = {
        k.removeprefix("runs."): int(v)
        for k, v in (result.get("timings") or {}).items()
        if k.startswith("runs.")
    }
    if counters:
        full = sum(n for scope, n in counters.items() if scope.lower() in FULL_SCOPES)
        return full, sum(counters.values()) - full, "timings runs.*"
    full = sum(r["scope"] == "full" for r in runs)
    how = ", ".join(sorted({r["how"] for r in runs})) or "no test runs"
    return full, len(runs) - full, how


PHASES = ("copy", "compile", "ruff", "tests", "suite", "rerun")


def candidate_costs(result: Record) -> list[Record]:
    """Seconds per phase of every validated (non-duplicate) candidate, from the result JSON:
    ``tests`` is the first test stage (the whole command before staging), ``suite`` the
    whole command run to confirm the best, ``rerun`` its re-run in another order."""
    rows = []
    for cand in result.get("candidates", []):
        if cand.get("duplicate_of") is not None or not cand.get("checks"):
            continue
        cost = dict.fromkeys(PHASES, 0.0)
        for check in cand["checks"]:
            name = str(check.get("name", ""))
            phase = name if name in cost else ("tests" if name.startswith("test") else None)
            if phase is not None:
                cost[phase] += float(check.get("seconds") or 0.0)
            cost["copy"] += float((check.get("details") or {}).get("copy_seconds") or 0.0)
        rows.append(
            {
                "id": cand.get("id"),
                "origin": cand.get("origin"),
                "validated": cand.get("validated"),
                "total": cand.get("validate_seconds"),
                **{p: round(v, 3) for p, v in cost.items()},
            }
        )
    return rows


def changed_lines(a: str, b: str) -> int:
    """Lines added plus lines removed between two texts (0: identical)."""
    return sum(
        1
        for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


# --- running agentfix ------------------------------------------------------------------------


def agentfix_command(checkout: Path) -> list[str]:
    script = checkout / ".venv" / "bin" / "agentfix"
    if not script.exists():
        raise SystemExit(
            f"{script} does not exist: python3 -m venv {checkout}/.venv && "
            f"{checkout}/.venv/bin/pip install -e {checkout}"
        )
    return [str(script)]


def checkout_state(checkout: Path) -> Record:
    head = run(["git", "-C", str(checkout), "rev-parse", "HEAD"], check=False).stdout.strip()
    dirty = run(
        ["git", "-C", str(checkout), "status", "--porcelain", "--", "server"], check=False
    ).stdout.strip()
    return {
        "checkout": str(checkout),
        "head": head,
        "server_dirty": dirty.splitlines() if dirty else [],
    }


def load_fake_llm() -> Any:
    """``tests/fake_llm.py``'s FakeLLM, imported by path (tests/ is not a package)."""
    path = REPO / "tests" / "fake_llm.py"
    module_spec = importlib.util.spec_from_file_location("agentfix_bench_fake_llm", path)
    if module_spec is None or module_spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module
    module_spec.loader.exec_module(module)
    return module.FakeLLM


def run_agentfix(
    cmd: list[str], cwd: Path, env: dict[str, str], limit: float
) -> tuple[int | None, str, str, float]:
    """(exit code, or None when killed; stdout; stderr; wall seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=limit)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return code, out, err, time.monotonic() - start


def restore(root: Path, rel: str, original: str) -> None:
    run(["git", "checkout", "-q", "--", rel], cwd=root)
    if (root / rel).read_text(encoding="utf-8") != original:
        raise SystemExit(f"{root / rel}: git checkout did not restore the original")


@dataclass(frozen=True)
class RealModel:
    """A real model server (``../shared/llm``): its root URL, model name and API."""

    url: str
    model: str
    provider: str  # "openai" (URL without /v1) or "ollama"


@dataclass
class Runner:
    cache: Path
    checkout: Path
    label: str
    full_check: str = "once"  # once | always | never
    traces: Path | None = None
    kill_after: float = KILL_AFTER
    agentfix: list[str] | None = None  # how to start agentfix; default: the checkout's venv
    extra_args: tuple[str, ...] = ()  # more flags for ``agentfix fix`` (e.g. --timeout 1200)
    extra_env: tuple[tuple[str, str], ...] = ()  # e.g. (("AGENTFIX_TEST_TIMEOUT", "400"),)
    real_model: RealModel | None = None  # a real server instead of the scripted model
    full_checked: set[str] = field(default_factory=set)

    @contextlib.contextmanager
    def _model(
        self, variants: Variants, case: CaseSpec
    ) -> Iterator[tuple[str, str, str, Callable[[], int | None]]]:
        """(url, model, provider, requests so far): the scripted model, or the real one."""
        if self.real_model is not None:
            real = self.real_model
            yield real.url.rstrip("/"), real.model, real.provider, lambda: None
            return
        fake = load_fake_llm()
        with fake(variants.answers(case), model="fake-model") as llm:
            yield llm.url, "fake-model", "openai", lambda: len(llm.requests)

    def run_case(self, case: CaseSpec) -> Record:
        spec = PROJECTS[case.project]
        marker = prepare_project(spec, self.cache)
        root = spec.root(self.cache)
        target = root / case.file
        if run(["git", "status", "--porcelain", "--", case.file], cwd=root).stdout.strip():
            run(["git", "checkout", "-q", "--", case.file], cwd=root)
        original = target.read_text(encoding="utf-8")
        variants = Variants.of(case, original)
        record: Record = {
            "type": "result",
            "label": self.label,
            "case": case.name,
            "half": case.half,
            "kind": case.kind,
            "project": spec.key,
            "dist": f"{spec.dist} {spec.version}",
            "layout": spec.layout,
            "file": case.file,
            "function": case.function,
            "venv": str(spec.venv(self.cache)),
            "venv_outside": spec.venv_outside,
            "suite": marker.get("suite"),
        }
        target.write_text(variants.buggy, encoding="utf-8")
        try:
            with tempfile.TemporaryDirectory(prefix="agentfix-real-") as tmp:
                trace_path = Path(tmp) / "trace.json"
                with self._model(variants, case) as (url, model, provider, asked):
                    base = url + "/v1" if provider == "openai" else url
                    cmd = [
                        *(self.agentfix or agentfix_command(self.checkout)),
                        "fix",
                        case.file,
                        "--json",
                        "--trace",
                        str(trace_path),
                        "--provider",
                        provider,
                        "--base-url",
                        base,
                        "--model",
                        model,
                        *self.extra_args,
                    ]
                    env = activated_env(spec.venv(self.cache)) if spec.venv_outside else clean_env()
                    env.update(self.extra_env)
                    code, out, err, wall = run_agentfix(cmd, root, env, self.kill_after)
                    requests = asked()
                shown = shlex.join(["agentfix", *cmd[1:]]).replace(str(trace_path), "T")
                if self.real_model is None:
                    shown = shown.replace(url, "http://127.0.0.1:PORT")
                record["command"] = shown
                record["model"] = model
                record["real_model"] = self.real_model is not None
                record["activated_venv"] = spec.venv_outside
                record["agentfix_env"] = dict(self.extra_env)
                trace = _load_json(trace_path)
                if trace is not None and self.traces:
                    self.traces.mkdir(parents=True, exist_ok=True)
                    shutil.copy(trace_path, self.traces / f"{case.name}.json")
                if requests is None:
                    requests = sum(
                        1 for e in (trace or {}).get("events", []) if e.get("kind") == "answer"
                    )
            result = _parse_json(out)
            after = target.read_text(encoding="utf-8")
            self._describe(record, code, wall, err, result, trace, requests, variants, after)
            if record["changed"]:
                self._check(record, spec, case)
        finally:
            restore(root, case.file, original)
        return record

    def _describe(
        self,
        record: Record,
        code: int | None,
        wall: float,
        err: str,
        result: Record,
        trace: Record | None,
        requests: int,
        variants: Variants,
        after: str,
    ) -> None:
        start = next((e for e in (trace or {}).get("events", []) if e.get("kind") == "start"), {})
        venv = record["venv"]
        reported = start.get("python")
        record.update(
            exit_code=code,
            killed=code is None,
            wall_s=round(wall, 2),
            status=result.get("status", "error"),
            written=bool(result.get("written")),
            rounds=result.get("rounds"),
            model_requests=requests,
            candidates=len(
                [c for c in result.get("candidates", []) if c.get("duplicate_of") is None]
            ),
            best_origin=next(
                (
                    c.get("origin")
                    for c in result.get("candidates", [])
                    if c.get("id") == result.get("best_candidate")
                ),
                None,
            ),
            interpreter=reported,
            interpreter_is_project_venv=bool(reported)
            and os.path.normpath(str(reported)).startswith(os.path.normpath(venv) + os.sep),
            test_command=start.get("test_command") or result.get("test_command"),
            isolation=result.get("isolation"),
            timings=result.get("timings", {}),
            candidate_costs=candidate_costs(result),
            test_runs=test_runs(result, trace),
            trace_kinds=sorted({e.get("kind") for e in (trace or {}).get("events", [])}),
            message=_clip(result.get("message", "") or tail(err, 8)),
        )
        runs = record["test_runs"]
        full, partial, how = run_counts(result, runs)
        record["full_runs"], record["partial_runs"], record["runs_source"] = full, partial, how
        record["timed_out_runs"] = sum(r["timed_out"] for r in runs)
        record["scope_source"] = sorted({r["how"] for r in runs})
        record["changed"] = after != variants.buggy
        record["wrong_written"] = after == variants.wrong
        record["equals_ideal"] = after == variants.original
        record["diff_vs_ideal"] = (
            changed_lines(variants.original, after) if record["changed"] else None
        )
        record["fix_changed_lines"] = changed_lines(variants.buggy, after)
        name = record["function"]
        record["function_is_ideal"] = _function_or_none(after, name) == function_text(
            variants.original, name
        )
        record["wrote_without_fix"] = record["changed"] and record["status"] != "fixed"
        record["false_validated"] = False  # set by _check

    def _check(self, record: Record, spec: ProjectSpec, case: CaseSpec) -> None:
        """The project's own tests on the written file, in its own venv."""
        checks = [run_project_tests(spec, self.cache, case.tests)]
        full_wanted = self.full_check == "always" or (
            self.full_check == "once" and spec.key not in self.full_checked
        )
        if case.tests and full_wanted:
            checks.append(run_project_tests(spec, self.cache, ()))
        if any(c.scope == "full" for c in checks):
            self.full_checked.add(spec.key)
        record["independent_checks"] = [c.to_json() for c in checks]
        record["tests_ok"] = all(c.ok for c in checks)
        if case.lint:
            record["lint_left"] = lint_flags(spec.root(self.cache), case.file, case.lint)
        failing = next((c for c in checks if not c.ok), None)
        if failing is not None:
            record["independent_output"] = tail(failing.output, 15)
        record["false_validated"] = record["status"] == "fixed" and not record["tests_ok"]


def _clip(text: str, head: int = 30, rest: int = 10) -> str:
    """A long message kept readable: its first ``head`` and last ``rest`` lines."""
    lines = text.splitlines()
    if len(lines) <= head + rest:
        return text
    return "\n".join([*lines[:head], f"[... {len(lines) - head - rest} lines ...]", *lines[-rest:]])


def _function_or_none(source: str, name: str) -> str | None:
    try:
        return function_text(source, name)
    except (SyntaxError, ValueError):
        return None


def _load_json(path: Path) -> Record | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("events") is not None else None


def _parse_json(out: str) -> Record:
    try:
        data = json.loads(out) if out.strip() else {}
    except ValueError:
        return {"status": "error", "message": f"unparsable JSON on stdout: {out[:300]!r}"}
    return data if isinstance(data, dict) else {}


# --- --check: every case sound, no agentfix ---------------------------------------------------


def check_case(case: CaseSpec, cache: Path) -> Record:
    """The bug and the WRONG candidate fail the covering tests; the original passes them."""
    spec = PROJECTS[case.project]
    prepare_project(spec, cache)
    root = spec.root(cache)
    target = root / case.file
    original = target.read_text(encoding="utf-8")
    variants = Variants.of(case, original)
    row: Record = {
        "case": case.name,
        "project": spec.key,
        "half": case.half,
        "kind": case.kind,
        "file": case.file,
        "function": case.function,
        "tests": " ".join(case.tests) or "(whole suite)",
    }
    try:
        for name, text in (
            ("buggy", variants.buggy),
            ("wrong", variants.wrong),
            ("original", variants.original),
        ):
            target.write_text(text, encoding="utf-8")
            outcome = run_project_tests(spec, cache, case.tests)
            row[name] = f"{'pass' if outcome.ok else 'FAIL'} ({outcome.summary})"
            row[f"{name}_ok"] = outcome.ok
            if case.lint:
                flagged = lint_flags(root, case.file, case.lint)
                row[name] += f"; {case.lint} {'flagged' if flagged else 'clean'}"
                row[f"{name}_lint"] = flagged
    finally:
        restore(root, case.file, original)
    if case.lint:  # the tests pass on the buggy file; the rule tells it apart
        bug_seen = row["buggy_ok"] and row["buggy_lint"] is True
        row["sound"] = bug_seen and not row["original_lint"] and not row["wrong_ok"]
    else:
        row["sound"] = not row["buggy_ok"] and not row["wrong_ok"] and row["original_ok"]
    row["sound"] = row["sound"] and row["original_ok"]
    return row


def ruff_binary() -> str | None:
    """A ruff for the independent lint check: this checkout's venv, else PATH."""
    local = REPO / ".venv" / "bin" / "ruff"
    return str(local) if local.exists() else shutil.which("ruff")


def lint_flags(root: Path, rel: str, rule: str) -> bool | None:
    """Does ruff, with the project's own configuration and rules, report ``rule`` on the
    file? None when no ruff is at hand or it fails."""
    ruff = ruff_binary()
    if ruff is None:
        return None
    cmd = [ruff, "check", "--no-cache", "--output-format", "concise", rel]
    proc = run(cmd, cwd=root, check=False)
    if proc.returncode not in (0, 1):
        return None
    return f": {rule} " in proc.stdout


# --- tables ----------------------------------------------------------------------------------


def markdown_table(header: list[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _s(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else f"{value:{spec}}"


def _mean(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.fmean(found) if found else None


def _independent(r: Record) -> str:
    checks = r.get("independent_checks")
    if not checks:
        return "-" if not r.get("changed") else "not run"
    return "; ".join(
        f"{'pass' if c['ok'] else 'FAIL'} {'full' if c['scope'] == 'full' else 'cover'} "
        f"{c['seconds']:.0f}s"
        for c in checks
    )


def _runs(r: Record) -> str:
    return f"{r.get('full_runs', 0)} / {r.get('partial_runs', 0)} ({r.get('timed_out_runs', 0)})"


def _interpreter(r: Record) -> str:
    python = r.get("interpreter")
    if not python:
        return "-"
    if r.get("interpreter_is_project_venv"):
        return "project venv"
    return f"NOT the project's: {python}"


def _why(r: Record) -> list[str]:
    """What agentfix said about an outcome: why not fixed, and its notes (one line each)."""
    lines = [ln.strip() for ln in str(r.get("message", "")).splitlines() if ln.strip()]
    keep = []
    if r.get("status") != "fixed" and lines:
        keep.append(lines[0])
        keep += [ln for ln in lines[1:] if ln.startswith("best attempt")]
    keep += [ln for ln in lines if ln.startswith("note:")]
    return [ln if len(ln) <= 300 else ln[:297] + "..." for ln in keep]


def report(records: list[Record]) -> str:
    order = {c.name: i for i, c in enumerate(CASES)}
    results = [r for r in records if r.get("type") == "result" and r.get("case") in order]
    retired = sorted({r["case"] for r in records if r.get("case") and r["case"] not in order})
    results.sort(key=lambda r: (r["half"] != "reported", order.get(r["case"], 99)))
    parts = []
    header = [
        "half",
        "project (layout)",
        "case",
        "status",
        "written",
        "independent check",
        "false validated",
        "wall s",
        "test runs full / partial (timed out)",
        "interpreter",
        "diff vs ideal",
    ]
    rows = []
    for r in results:
        rows.append(
            [
                r["half"],
                f"{r['project']} ({r['layout']})",
                r["case"],
                r["status"] + (" (killed)" if r.get("killed") else ""),
                "WRONG" if r.get("wrong_written") else ("yes" if r.get("written") else "no"),
                _independent(r),
                "**YES**" if r.get("false_validated") else "0",
                _s(r.get("wall_s")),
                _runs(r),
                _interpreter(r),
                "-" if r.get("diff_vs_ideal") is None else f"{r['diff_vs_ideal']} lines",
            ]
        )
    parts.append(markdown_table(header, rows))
    said = [f"- {r['case']}: {line}" for r in results for line in _why(r)]
    if said:
        parts.append("What agentfix said (why not fixed; its notes):\n\n" + "\n".join(said))

    header = [
        "case",
        "baseline s",
        "generation s",
        "validation s",
        "total s",
        "candidates",
        *(f"{p} s/cand" for p in PHASES),
        "runs counted from",
    ]
    rows = []
    for r in results:
        t = r.get("timings", {})
        costs = r.get("candidate_costs", [])
        rows.append(
            [
                r["case"],
                _s(t.get("baseline")),
                _s(t.get("generation"), ".2f"),
                _s(t.get("validation")),
                _s(t.get("total")),
                len(costs),
                *(_s(_mean(c.get(p, 0.0) for c in costs), ".2f") for p in PHASES),
                r.get("runs_source") or ", ".join(r.get("scope_source", [])) or "-",
            ]
        )
    parts.append(
        "Cost by phase (result JSON `timings`; per candidate: mean over its "
        "validated candidates of each check's seconds):\n\n" + markdown_table(header, rows)
    )

    header = [
        "half",
        "cases",
        "fixed",
        "false validated",
        "wrong written",
        "median wall s",
        "full-suite runs / fix",
        "partial runs / fix",
        "timed-out runs",
    ]
    rows = []
    for half in ("reported", "dev", "all"):
        group = [r for r in results if half == "all" or r["half"] == half]
        if not group:
            continue
        n = len(group)
        rows.append(
            [
                half,
                n,
                f"{sum(r['status'] == 'fixed' for r in group)}/{n}",
                sum(bool(r.get("false_validated")) for r in group),
                sum(bool(r.get("wrong_written")) for r in group),
                _s(statistics.median(r["wall_s"] for r in group)),
                _s(_mean(r.get("full_runs", 0) for r in group)),
                _s(_mean(r.get("partial_runs", 0) for r in group)),
                sum(r.get("timed_out_runs", 0) for r in group),
            ]
        )
    parts.append(markdown_table(header, rows))
    if retired:
        parts.append("Left out (retired cases, no longer in CASES): " + ", ".join(retired))
    metas = [r for r in records if r.get("type") == "meta"]
    for m in metas:
        state = m.get("agentfix", {})
        dirty = state.get("server_dirty") or []
        parts.append(
            f"{m.get('label')}: agentfix `{state.get('checkout')}` at {str(state.get('head'))[:10]}"
            + (f" (+ uncommitted changes in server/: {len(dirty)} files)" if dirty else "")
            + f"; started {m.get('started')}"
        )
    return "\n\n".join(parts)


# --- CLI -------------------------------------------------------------------------------------


def select(cases_glob: str | None, projects: str | None, half: str) -> list[CaseSpec]:
    from fnmatch import fnmatch

    chosen = [
        c
        for c in CASES
        if (half == "all" or c.half == half)
        and (not projects or c.project in projects.split(","))
        and (not cases_glob or any(fnmatch(c.name, g) for g in cases_glob.split(",")))
    ]
    if not chosen:
        raise SystemExit("no case selected")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--setup", action="store_true", help="only fetch and set up the projects")
    mode.add_argument("--check", action="store_true", help="check the cases (no agentfix)")
    mode.add_argument(
        "--report", type=Path, nargs="+", metavar="JSONL", help="print the tables of earlier runs"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"projects, sdists and venvs (default {DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--checkout",
        "--before",
        type=Path,
        default=REPO,
        help="agentfix checkout whose .venv/bin/agentfix runs (default: this "
        "one; --before DIR is the same flag)",
    )
    parser.add_argument("--label", default="run", help="names bench/results/real-repos-LABEL.jsonl")
    parser.add_argument("--out", type=Path, help="raw JSON lines (default from --label)")
    parser.add_argument("--cases", help="case names (comma-separated globs)")
    parser.add_argument("--projects", help="project keys, comma-separated: " + ", ".join(PROJECTS))
    parser.add_argument("--half", choices=["dev", "reported", "all"], default="all")
    parser.add_argument(
        "--full-check",
        choices=["once", "always", "never"],
        default="once",
        help="independent whole-suite run after a written fix: the first per "
        "project (once), every time, or never (covering test files only)",
    )
    parser.add_argument("--traces", type=Path, help="keep agentfix's traces in this folder")
    parser.add_argument(
        "--kill-after",
        type=float,
        default=KILL_AFTER,
        help="seconds before a hung agentfix is killed",
    )
    parser.add_argument(
        "--agentfix-args",
        default="",
        help="more flags for every `agentfix fix`, e.g. '--timeout 1200' (default: none, "
        "agentfix's own defaults as a user gets them)",
    )
    parser.add_argument(
        "--agentfix-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment for every `agentfix fix` (repeatable), e.g. AGENTFIX_TEST_TIMEOUT=400",
    )
    parser.add_argument(
        "--real-model",
        metavar="URL",
        help="ask a real model server instead of the scripted one: its root URL "
        "(http://127.0.0.1:8080 for ../shared/llm's OpenAI API, :11434 for its Ollama API)",
    )
    parser.add_argument("--model", default="qwen2.5-coder-1.5b", help="with --real-model")
    parser.add_argument(
        "--provider", choices=["openai", "ollama"], default="openai", help="with --real-model"
    )
    return parser


def _pair(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name:
        raise SystemExit(f"--agentfix-env wants NAME=VALUE, got {item!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.report:
        records = [
            json.loads(line)
            for path in args.report
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        print(report(records))
        return 0
    cases = select(args.cases, args.projects, args.half)
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.setup:
        rows = []
        for key in dict.fromkeys(c.project for c in cases):
            spec = PROJECTS[key]
            m = prepare_project(spec, args.cache)
            suite = m.get("suite") or {}
            rows.append(
                [
                    key,
                    spec.layout,
                    m["venv"],
                    shlex.join(m["install"]),
                    "; ".join(m["local_setup"]) or "-",
                    suite.get("summary", "-"),
                    _s(suite.get("seconds")),
                ]
            )
        print(
            markdown_table(
                ["project", "layout", "venv", "install", "local setup", "clean suite", "suite s"],
                rows,
            )
        )
        return 0
    if args.check:
        rows = [check_case(c, args.cache) for c in cases]
        keys = [
            "case",
            "project",
            "half",
            "kind",
            "function",
            "tests",
            "buggy",
            "wrong",
            "original",
        ]
        print(markdown_table(keys, [[r[k] for k in keys] for r in rows]))
        bad = [r["case"] for r in rows if not r["sound"]]
        print(
            f"\n{len(rows) - len(bad)}/{len(rows)} cases sound" + (f"; NOT: {bad}" if bad else "")
        )
        return 1 if bad else 0
    checkout = args.checkout.resolve()
    out = args.out or RESULTS / f"real-repos-{args.label}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    runner = Runner(
        args.cache,
        checkout,
        args.label,
        args.full_check,
        args.traces,
        args.kill_after,
        extra_args=tuple(shlex.split(args.agentfix_args)),
        extra_env=tuple(_pair(item) for item in args.agentfix_env),
        real_model=RealModel(args.real_model, args.model, args.provider)
        if args.real_model
        else None,
    )
    meta = {
        "type": "meta",
        "label": args.label,
        "command": [sys.executable, *sys.argv],
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "agentfix": checkout_state(checkout),
        "cases": [asdict(c) for c in cases],
    }
    records: list[Record] = [meta]
    print(f"Command: `{shlex.join(['python3', *sys.argv])}`\n", flush=True)
    with out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(meta) + "\n")
        for i, case in enumerate(cases, 1):
            log(f"[{i}/{len(cases)}] {case.name} ({case.project}, {case.half}) ...")
            record = runner.run_case(case)
            records.append(record)
            fh.write(json.dumps(record) + "\n")
            fh.flush()
            flag = " FALSE VALIDATED" if record["false_validated"] else ""
            log(
                f"[{i}/{len(cases)}] {case.name}: {record['status']} written={record['written']}"
                f" {record['wall_s']:.0f}s runs full={record['full_runs']} "
                f"partial={record['partial_runs']} timed_out={record['timed_out_runs']}{flag}"
            )
    print(report(records))
    print(f"\nraw: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
