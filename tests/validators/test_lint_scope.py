"""Ruff's fixes of a model answer stay where the answer changed the file; decorators the
answer left out are kept; the project's own ruff and pre-commit arguments are used."""

from __future__ import annotations

import stat
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from agentfix.engine.candidate import changed_lines
from agentfix.engine.merge import merge_answer
from agentfix.engine.propose import lint_fixed
from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.settings import build_settings
from agentfix.validators.lint_scope import changed_rows, fix_near_changes, revert_untouched
from agentfix.validators.ruff import added_diagnostics, ruff_diagnostics
from agentfix.validators.ruff_fix import ruff_safe_fix
from agentfix.validators.ruff_tool import (
    bundled_binary,
    read_pre_commit,
    split_args,
    tool_for,
    use_interpreter,
)
from conftest import write_project
from scripted import ScriptedProvider, fenced

CONFIG = '[tool.ruff.lint]\nselect = ["E", "F", "I", "UP"]\n'

# lint the user lives with: unsorted imports, typing.List annotations (all ruff-fixable)
BASE = """import sys
import os
from typing import List


def names(x: List[str]) -> List[str]:
    return [n for n in x if n != os.sep and sys]


def add(a, b):
    return a - b


def tail(y: List[int]) -> List[int]:
    return y[1:]
"""


@pytest.fixture
def module(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    return tmp_path / "mod.py"


def test_an_answer_keeps_the_lint_the_user_had_elsewhere(module: Path) -> None:
    answer = BASE.replace("return a - b", "return a + b")
    assert changed_lines(answer, ruff_safe_fix(answer, module)) > 5  # what it used to be
    fixed = fix_near_changes(answer, BASE, module, ruff_diagnostics(BASE, module))
    assert fixed == answer  # nothing the answer touched has lint: not a byte else changes


def test_lint_the_answer_adds_is_fixed_with_whole_ruff_fixes(module: Path) -> None:
    # the answer adds an import out of order and stops using `os`: ruff sorts the block
    # (its I001 fix), then removes the import it made unused; `List` stays imported
    answer = BASE.replace("import os\n", "import os\nimport abc\n").replace(
        "return a - b", "return abc.ABC and a + b"
    )
    answer = answer.replace("n != os.sep and sys", "n and sys")
    original = ruff_diagnostics(BASE, module)
    fixed = fix_near_changes(answer, BASE, module, original)
    assert fixed.startswith("import abc\nimport sys\nfrom typing import List\n")
    assert "def tail(y: List[int]) -> List[int]:" in fixed  # UP006 elsewhere left alone
    assert added_diagnostics(original, ruff_diagnostics(fixed, module)) == []
    assert fixed.splitlines()[3:] == answer.splitlines()[4:]  # below the imports: as given


def test_changed_rows_mark_insertions_edits_and_the_neighbours_of_deletions() -> None:
    before = "a\nb\nc\nd\n"
    assert changed_rows(before, "a\nB\nc\nd\n") == {1}
    assert changed_rows(before, "a\nb\nnew\nc\nd\n") == {2}
    assert changed_rows(before, "a\nc\nd\n") == {0, 1}
    assert changed_rows(before, "a\r\nb\r\nc\r\nd\r\n") == set()  # line endings only


def test_the_engine_step_fixes_only_near_the_answer(module: Path) -> None:
    answer = BASE.replace("return a - b", "return a+b")  # E225 is not selected; E226 isn't
    ctx = SimpleNamespace(
        request=SimpleNamespace(path=module, source=BASE, targets=()),
        validator=SimpleNamespace(original_diagnostics=tuple(ruff_diagnostics(BASE, module))),
    )
    state = {"base": BASE, "original": None}
    assert lint_fixed(ctx, state, answer) == answer  # type: ignore[arg-type]
    unused = BASE.replace("return a - b", "import json\n    return a + b")
    fixed = lint_fixed(ctx, state, unused)  # type: ignore[arg-type]
    assert "import json" not in fixed and "return a + b" in fixed
    assert fixed.count("List[") == BASE.count("List[")


DECORATED = '''import functools


@functools.total_ordering
class Box:
    """A box."""

    def __init__(self, v):
        self.v = v

    @property
    def value(self):
        return self.v - 1

    def __lt__(self, other):
        return self.v < other.v


@functools.cache
def helper():
    return 1


def other():
    return 2
'''


def test_a_class_from_an_answer_without_decorators_keeps_the_originals() -> None:
    answer = (
        "class Box:\n    def __init__(self, v):\n        self.v = v\n\n"
        "    def value(self):\n        return self.v + 1\n\n"
        "    def __lt__(self, other):\n        return self.v < other.v\n"
    )
    merged, how = merge_answer(DECORATED, answer)
    assert how == "partial"
    assert "@functools.total_ordering\nclass Box:" in merged
    assert "    @property\n    def value(self):\n        return self.v + 1\n" in merged
    assert merged.count("@functools.total_ordering") == 1
    # a single function given bare keeps its decorator too; one given with its own is taken
    merged, _ = merge_answer(DECORATED, "def helper():\n    return 2\n")
    assert "@functools.cache\ndef helper():\n    return 2\n" in merged
    merged, _ = merge_answer(DECORATED, "@functools.lru_cache\ndef helper():\n    return 2\n")
    assert "@functools.lru_cache\ndef helper():" in merged and "@functools.cache" not in merged


def test_a_whole_file_answer_without_decorators_keeps_them() -> None:
    answer = DECORATED.replace("@functools.total_ordering\n", "").replace("    @property\n", "")
    merged, _ = merge_answer(DECORATED, answer.replace("self.v - 1", "self.v + 1"))
    assert merged == DECORATED.replace("self.v - 1", "self.v + 1")


def _fake_venv(root: Path, log: Path) -> Path:
    """A project environment whose bin folder has a `ruff` that logs and runs the real one."""
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (root / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (bin_dir / "python").symlink_to(sys.executable)
    ruff = bin_dir / "ruff"
    ruff.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {bundled_binary()} "$@"\n')
    ruff.chmod(ruff.stat().st_mode | stat.S_IXUSR)
    return bin_dir / "python"


def test_the_projects_own_ruff_runs_with_its_pre_commit_arguments(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(CONFIG)
    (tmp_path / "ruff-ci.toml").write_text('[lint]\nselect = ["F"]\n')
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
        "    rev: v0.6.9\n"
        "    hooks:\n"
        "      - id: ruff\n"
        "        args: [--fix, --exit-non-zero-on-fix, --config, ruff-ci.toml, --select=F401]\n"
        "      - id: ruff-format\n"
    )
    log = tmp_path / "ruff.log"
    python = _fake_venv(tmp_path, log)
    tool = use_interpreter(tmp_path, str(python))
    assert tool.origin == "project" and tool.binary == str(python.parent / "ruff")
    assert tool.pinned == "0.6.9" and tool.describe()["matches_pin"] is (tool.version == "0.6.9")
    assert tool.config_args == ("--config", str(tmp_path / "ruff-ci.toml"))
    assert tool.rule_args == ("--select", "F401") and tool.ignored_args == (
        "--fix",
        "--exit-non-zero-on-fix",
    )
    assert "pins 0.6.9" in tool.summary() or tool.version == "0.6.9"
    module = tmp_path / "mod.py"
    found = ruff_diagnostics(BASE.replace("import os\n", "import os\nimport json\n"), module)
    assert [d.code for d in found] == ["F401"]  # the hook's rules, not pyproject's I/UP
    assert "--select F401" in log.read_text() and str(module) in log.read_text()


def test_without_a_project_ruff_the_bundled_one_runs(module: Path) -> None:
    tool = tool_for(module)
    assert tool.origin == "agentfix" and tool.binary == bundled_binary()
    assert tool.pinned is None and tool.version != "unknown"


def test_a_relative_path_is_checked_as_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        CONFIG + '[tool.ruff.lint.per-file-ignores]\n"src/pkg/api.py" = ["F401"]\n'
    )
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    source = "import os\n"
    monkeypatch.chdir(tmp_path)  # ruff runs in src/pkg: the path must not be read from there
    assert ruff_diagnostics(source, Path("src/pkg/api.py")) == []
    assert ruff_safe_fix(source, Path("src/pkg/api.py")) == source


def test_unknown_or_incomplete_hook_arguments_are_ignored(tmp_path: Path) -> None:
    config, rules, ignored = split_args(
        ("--preview", "--line-length=88", "--show-fixes", "--ignore", "E501", "--select"),
        tmp_path,
    )
    assert config == ("--preview", "--line-length", "88")
    assert rules == ("--ignore", "E501")
    assert ignored == ("--show-fixes", "--select")


def test_a_local_pre_commit_hook_gives_its_entry_options_and_pin(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: ruff\n"
        "        entry: ruff check\n"
        "          --force-exclude --fix\n"
        "          --ignore E721\n"
        "        language: python\n"
        "        additional_dependencies: [ruff==0.6.2]\n"
    )
    pinned, args = read_pre_commit(tmp_path)
    assert pinned == "0.6.2"
    assert split_args(args, tmp_path) == ((), ("--ignore", "E721"), ("--force-exclude", "--fix"))
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: [: broken")
    assert read_pre_commit(tmp_path) == (None, ())


def test_a_project_ruff_too_old_for_agentfix_is_not_used(tmp_path: Path) -> None:
    python = _fake_venv(tmp_path, tmp_path / "ruff.log")
    (python.parent / "ruff").write_text('#!/bin/sh\necho "ruff 0.0.250"\n')
    tool = use_interpreter(tmp_path, str(python))
    assert tool.origin == "agentfix" and tool.binary == bundled_binary()


BUGGY = '''"""Calculator helpers."""

import sys
import os
from typing import List


def add(a, b):
    return a - b


def total(xs: List[int]) -> int:
    return sum(xs) if os and sys else 0
'''


def test_ruff_rewrites_the_answer_did_not_touch_go_back(module: Path) -> None:
    base = ruff_safe_fix(BUGGY, module)  # what the model is shown
    assert changed_lines(BUGGY, base) > 4
    answer = base.replace("return a - b", "return a + b")
    reverted = revert_untouched(BUGGY, base, answer, module)
    assert reverted == BUGGY.replace("return a - b", "return a + b")
    # a ruff fix next to the answer's change stays, whole (the import block, sorted)
    answer = base.replace("import os\n", "import os\nimport json\n").replace(
        "return a - b", "return json.loads(json.dumps(a + b))"
    )
    reverted = revert_untouched(BUGGY, base, answer, module)
    # ruff's sorted block is next to the answer's import: it stays, and with it the removed
    # `from typing import List`; putting `List[int]` back alone would be an undefined name,
    # so nothing is put back (pyflakes decides, whatever the project selects)
    assert reverted == answer
    assert not [d for d in ruff_diagnostics(reverted, module) if d.code == "F821"]


def test_a_fix_of_a_failing_test_is_only_the_fix(tmp_path: Path) -> None:
    calc = write_project(tmp_path, BUGGY, "from calc import add\n\n\ndef test_add():\n"
                         "    assert add(2, 3) == 5\n")  # fmt: skip
    with (tmp_path / "pyproject.toml").open("a") as fh:
        fh.write(CONFIG)
    settings = build_settings(tmp_path, {"candidates": 1, "max_rounds": 1})
    provider = ScriptedProvider([fenced("def add(a, b):\n    return a + b\n")])
    result = run_fix(FixRequest(calc, BUGGY), settings, provider)
    assert result.status == "fixed", result.message
    assert result.fixed == BUGGY.replace("return a - b", "return a + b")
    assert "none of them new" in result.message  # the user's lint is left as it was
