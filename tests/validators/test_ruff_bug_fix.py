"""Ruff's fix for a flagged bug follows the project's own ruff settings."""

from __future__ import annotations

from pathlib import Path

from agentfix.validators.ruff_fix import ruff_bug_fix

SOURCE = "def add(tag: str, tags: list = []) -> list:\n    tags.append(tag)\n    return tags\n"


def _project(tmp_path: Path, ruff_config: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.ruff]\n{ruff_config}\n")
    return tmp_path / "tags.py"  # never written: ruff reads the candidate on stdin


def test_the_fix_uses_the_projects_target_version(tmp_path: Path) -> None:
    path = _project(tmp_path, 'target-version = "py38"')
    fixed = ruff_bug_fix(SOURCE, path, ["B006"])
    assert "from typing import Optional" in fixed
    assert "tags: Optional[list] = None" in fixed
    assert "    if tags is None:\n        tags = []\n" in fixed
    assert not path.exists()

    modern = ruff_bug_fix(SOURCE, _project(tmp_path, 'target-version = "py311"'), ["B006"])
    assert "tags: list | None = None" in modern


def test_a_rule_the_project_marks_unfixable_is_left_alone(tmp_path: Path) -> None:
    path = _project(tmp_path, '[tool.ruff.lint]\nunfixable = ["B006"]')
    assert ruff_bug_fix(SOURCE, path, ["B006"]) == SOURCE


OTHERS = (
    "def add(tag: str, tags: list = [], *, sep: str = None) -> list:\n"
    "    tags.append(tag)\n"
    "    return tags\n"
    "\n"
    "\n"
    "def label(name: str = None, *, items: dict = {}) -> str:\n"
    '    return f"{name}: {len(items)}"\n'
)


def test_only_the_defaults_the_bug_fix_changed_become_optional(tmp_path: Path) -> None:
    # `sep` and `name` are implicit Optionals the user wrote; the fix must leave them alone.
    fixed = ruff_bug_fix(OTHERS, _project(tmp_path, 'target-version = "py38"'), ["B006"])
    assert fixed.count("from typing import Optional\n") == 1
    assert "tags: Optional[list] = None, *, sep: str = None" in fixed
    assert "def label(name: str = None, *, items: Optional[dict] = None)" in fixed
    assert "    if items is None:\n        items = {}\n" in fixed

    modern = ruff_bug_fix(OTHERS, _project(tmp_path, 'target-version = "py311"'), ["B006"])
    assert "tags: list | None = None, *, sep: str = None" in modern
    assert "def label(name: str = None, *, items: dict | None = None)" in modern


def test_a_project_that_marks_ruf013_unfixable_keeps_its_annotations(tmp_path: Path) -> None:
    path = _project(tmp_path, '[tool.ruff.lint]\nunfixable = ["RUF013"]')
    fixed = ruff_bug_fix(SOURCE, path, ["B006"])
    assert "tags: list = None" in fixed
    assert "    if tags is None:\n        tags = []\n" in fixed


def test_form_feeds_and_non_ascii_do_not_shift_the_annotation_edited(tmp_path: Path) -> None:
    # Python and ruff break lines only at \n, \r\n and \r; ruff counts columns in characters.
    source = (
        'SEP = "é"  \x0c\n'
        "def add(título: str, tags: list = [], *, sep: str = None) -> list:\n"
        "    tags.append(título)\n"
        "    return tags\n"
    )
    fixed = ruff_bug_fix(source, _project(tmp_path, 'target-version = "py311"'), ["B006"])
    assert "def add(título: str, tags: list | None = None, *, sep: str = None)" in fixed
    assert compile(fixed, "tags.py", "exec")
