"""Degenerate answers, a full disk, too little memory, unreadable files: each ends in a
sentence that names the cause and what to do, never in a traceback or a wrong verdict."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from agentfix import cli
from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.errors import NoSpace
from agentfix.settings import build_settings
from conftest import CALC_BUGGY, write_project
from scripted import ScriptedProvider, fenced

RIGHT = CALC_BUGGY.replace("a - b", "a + b")
UNARY = CALC_BUGGY.replace("return a - b", "return " + "-" * 200_000 + "a")
NESTED = CALC_BUGGY.replace("return a - b", "return " + "(" * 5000 + "a" + ")" * 5000)


@pytest.mark.parametrize("answer", [UNARY, NESTED], ids=["200k-unary-minus", "5k-parens"])
def test_a_degenerate_answer_fails_as_a_candidate_and_the_next_one_is_tried(
    tmp_path: Path, answer: str
) -> None:
    """Before: MemoryError from compile() ended the whole fix with a traceback."""
    path = write_project(tmp_path)
    settings = build_settings(tmp_path, {"candidates": 1, "max_rounds": 2})
    result = run_fix(FixRequest(path, CALC_BUGGY), settings,
                     ScriptedProvider([fenced(answer), fenced(RIGHT)]))  # fmt: skip
    assert result.status == "fixed", result.message
    assert result.fixed == RIGHT


def test_a_full_disk_is_said_instead_of_testing_a_copy_that_lacks_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a file that did not fit was left out of the copy, silently, and the tests
    ran against what was left."""
    path = write_project(tmp_path)
    real_copy = shutil.copyfile

    def full(src: str, dst: str, *args: object, **kwargs: object) -> object:
        if str(src).endswith("test_calc.py"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copy(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "copyfile", full)
    settings = build_settings(tmp_path, {"candidates": 1})
    with pytest.raises(NoSpace, match=r"no space left in .* set TMPDIR"):
        run_fix(FixRequest(path, CALC_BUGGY), settings, ScriptedProvider([fenced(RIGHT)]))


def test_tests_that_cannot_start_in_the_memory_limit_say_so_before_any_model_call(
    tmp_path: Path,
) -> None:
    path = write_project(tmp_path)
    settings = build_settings(tmp_path, {"candidates": 1, "memory_limit_mb": 64})
    provider = ScriptedProvider([fenced(RIGHT)])
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, provider)
    assert result.status == "test_setup", result.message
    assert "ran out of memory" in result.message and "memoryLimitMb = 64" in result.message
    assert provider.script.served == {}  # the model was never asked


def test_the_cli_names_a_file_it_may_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_project(tmp_path)

    def denied(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    code = cli.main(["fix", str(path), "--base-url", "http://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ERROR
    assert f"permission denied: {path}" in err and "Traceback" not in err
