"""`agentfix fix src/pkg/api.py` from the project root: a relative path with a folder is
resolved once, at the entry, so ruff sees the real file (and its per-file settings), not
``src/pkg/src/pkg/api.py`` from the file's own folder."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import agentfix

PYPROJECT = """[project]
name = "pkg"
version = "0"

[tool.ruff.lint]
select = ["E", "F", "I"]

[tool.ruff.lint.per-file-ignores]
"src/pkg/api.py" = ["F401"]  # the public names are imported to be re-exported

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
"""

API = '''"""Public names, re-exported."""

import sys
import os

from pkg.util import one
'''


def src_layout(root: Path) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    package = root / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "util.py").write_text("def one():\n    return 1\n")
    (package / "api.py").write_text(API)  # the lint problem: an unsorted import block
    (root / "tests").mkdir()
    (root / "tests" / "test_api.py").write_text(
        "from pkg.api import one\n\n\ndef test_one():\n    assert one() == 1\n"
    )
    return package / "api.py"


def test_relative_path_with_a_folder_is_fixed_and_validated(tmp_path: Path) -> None:
    api = src_layout(tmp_path)
    trace = tmp_path / "trace.json"
    result = agentfix("fix", "src/pkg/api.py", "--trace", str(trace), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "fixed src/pkg/api.py with ruff's safe fixes" in result.stderr
    assert "tests 1 passed" in result.stderr  # validated by the project's tests
    # sorted, and the re-export the per-file ignore protects is still there
    assert api.read_text() == API.replace("import sys\nimport os\n", "import os\nimport sys\n")
    assert "lint: ruff " in result.stderr  # which ruff checked the file is said
    events = json.loads(trace.read_text())["events"]
    ruff = next(e for e in events if e["kind"] == "ruff")
    assert ruff["origin"] == "agentfix" and ruff["version"]
