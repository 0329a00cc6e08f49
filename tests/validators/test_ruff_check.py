"""The ruff validator fails a candidate only for diagnostics it adds, wherever lines moved."""

from __future__ import annotations

from pathlib import Path

from agentfix.validators.ruff import check_ruff, ruff_diagnostics

TWICE = (
    '"""Names."""\n\n\ndef match(name, query):\n    return name == query\n\n\n'
    "def match(name, query):\n    return query.lower() in name.lower()\n"
)


def _path(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["E", "F"]\n')
    return tmp_path / "names.py"  # never written: ruff reads the candidate on stdin


def test_a_diagnostic_citing_a_line_that_moved_is_not_new(tmp_path: Path) -> None:
    path = _path(tmp_path)
    original = ruff_diagnostics(TWICE, path)
    assert [d.code for d in original] == ["F811"] and "from line 4" in original[0].message
    shifted = TWICE.replace('"""Names."""\n\n\n', '"""Names."""\n\n\nimport os\n\nos.sep\n\n\n')
    check = check_ruff(shifted, path, original)  # F811 now cites line 9
    assert check.status == "pass", check.output
    assert check.details["diagnostics"] and "from line 9" in check.details["diagnostics"][0]


def test_a_second_redefinition_is_new(tmp_path: Path) -> None:
    path = _path(tmp_path)
    original = ruff_diagnostics(TWICE, path)
    thrice = TWICE + "\n\ndef match(name, query):\n    return True\n"
    check = check_ruff(thrice, path, original)
    assert check.status == "fail" and "adds 1 ruff diagnostic(s)" in check.summary
