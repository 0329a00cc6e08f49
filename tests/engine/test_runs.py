"""Each fix is recorded with LangGraph's checkpoints and can be stepped through afterwards:
``agentfix runs``, ``agentfix runs show``, the editor's ``agentfix.showLastRun``."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from agentfix.cli import main
from agentfix.engine import record
from agentfix.engine.candidate import Answer, Candidate, Maker, Origin
from agentfix.engine.record_serde import REDACTED, RecordSerde, record_types
from agentfix.engine.record_view import steps
from agentfix.engine.request import FixRequest, FixResult, Status
from agentfix.engine.run import run_fix
from agentfix.engine.state import Event
from agentfix.settings import Settings, build_settings
from agentfix.validators import test_baseline
from agentfix.validators.verdict import Check, CheckName, CheckStatus, Verdict
from conftest import CALC_BUGGY, write_project
from scripted import ScriptedProvider, fenced

WRONG = CALC_BUGGY.replace("return a - b", "return a * b")
RIGHT = CALC_BUGGY.replace("return a - b", "return a + b")
UNDEFINED = "def f(x):\n    return y + 1\n"  # ruff F821: only a model fixes it, no tests run
DEFINED = "def f(x):\n    return x + 1\n"
SECRET = "sk-agentfix-test-7f3a9c1e5b"


def fix(path: Path, provider: ScriptedProvider, **overrides: object) -> FixResult:
    settings = build_settings(path.parent, {"candidates": 1, **overrides})
    return run_fix(FixRequest(path, path.read_text()), settings, provider)


def quick_project(root: Path) -> Path:
    """A file the model must fix, in a project without tests: a fix takes a fraction of a
    second."""
    (root / "pyproject.toml").write_text('[project]\nname = "quick"\n')
    path = root / "mod.py"
    path.write_text(UNDEFINED)
    return path


def quick_fix(path: Path, answer: str = DEFINED, **overrides: object) -> FixResult:
    return fix(path, ScriptedProvider([fenced(answer)]), **overrides)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@dataclasses.dataclass(frozen=True)
class Recorded:
    cache: Path
    path: Path
    result: FixResult


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """One fix with tests, two rounds (a wrong answer, then the right one), recorded."""
    cache = tmp_path_factory.mktemp("recorded-cache")
    path = write_project(tmp_path_factory.mktemp("recorded-project"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AGENTFIX_CACHE_DIR", str(cache))
        mp.setenv("AGENTFIX_TRUST_FILE", str(tmp_path_factory.mktemp("trust") / "t.json"))
        result = fix(path, ScriptedProvider([fenced(WRONG), fenced(RIGHT)]))
    assert result.status == "fixed" and result.rounds == 2
    return Recorded(cache, path, result)


@pytest.fixture
def in_recorded(recorded: Recorded, monkeypatch: pytest.MonkeyPatch) -> Recorded:
    monkeypatch.setenv("AGENTFIX_CACHE_DIR", str(recorded.cache))
    return recorded


def test_a_fix_is_recorded_and_listed(in_recorded: Recorded, capsys) -> None:
    code, out, _ = cli(capsys, "runs", "--json")
    assert code == 0
    [run] = json.loads(out)
    assert run["file"] == str(in_recorded.path) and run["root"] == str(in_recorded.path.parent)
    assert run["status"] == "fixed" and run["rounds"] == 2 and run["models"] == ["m1"]
    assert run["best_candidate"] == in_recorded.result.best.id  # type: ignore[union-attr]
    assert run["seconds"] > 0 and re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", run["started"])
    code, out, _ = cli(capsys, "runs")
    assert code == 0 and run["id"] in out and "fixed" in out and str(in_recorded.path) in out
    code, out, _ = cli(capsys, "runs", "--json", "--file", str(in_recorded.path))
    assert [r["id"] for r in json.loads(out)] == [run["id"]]
    code, out, _ = cli(capsys, "runs", "--json", "--file", str(in_recorded.path.parent / "x.py"))
    assert code == 0 and json.loads(out) == []


def test_show_prints_every_step_like_a_test_log(in_recorded: Recorded, capsys) -> None:
    code, out, _ = cli(capsys, "runs", "show", "last")
    assert code == 0
    nodes = re.findall(r"^=== step \d+: (\w+)", out, re.MULTILINE)
    assert nodes == ["baseline", "connect", "generate", "validate", "decide", "feedback",
                     "generate", "validate", "decide"]  # fmt: skip
    numbers = [int(n) for n in re.findall(r"^=== step (\d+):", out, re.MULTILINE)]
    assert numbers == sorted(numbers)
    # what each step changed, the prompts and answers, the candidates' checks with output
    assert "connected: False -> True" in out and "status: None -> fixed" in out
    assert "They exercise `add` of `calc.py`" in out  # the first prompt
    assert "    return a * b" in out and "    return a + b" in out  # the answers
    assert "candidate #1 (model:m1): FAILED" in out
    assert "[fail] tests: 1 passed, 1 failed" in out
    assert "| E   assert 6 == 5" in out  # the wrong answer's failing test output
    assert "candidate #2 (model:m1): VALIDATED" in out
    assert "Your previous attempt (#1) did not pass validation." in out  # the feedback
    assert re.search(r"\+validation \d+\.\d\ds", out)  # timings
    run_id = json.loads(cli(capsys, "runs", "--json")[1])[0]["id"]
    assert cli(capsys, "runs", "show", run_id[:12])[1] == out  # an id, or its start
    assert cli(capsys, "runs", "show", "--file", str(in_recorded.path))[1] == out
    code, _, err = cli(capsys, "runs", "show", "nope")
    assert code == 2 and "agentfix runs" in err


def test_the_state_comes_back_as_itself(in_recorded: Recorded) -> None:
    run = record.find("last")
    assert run is not None
    found = steps(run.id)
    final = found[-1].after
    assert final["tried"] == in_recorded.result.candidates
    cand = final["tried"][0]
    assert isinstance(cand, Candidate) and isinstance(cand.origin.maker, Maker)
    assert isinstance(cand.answer, Answer) and isinstance(cand.verdict, Verdict)
    assert isinstance(cand.verdict.checks, tuple) and isinstance(cand.verdict.checks[0], Check)
    assert final["status"] is Status.FIXED and final["suspects"] == ("add",)
    assert isinstance(final["baselines"], test_baseline.TestBaselines)
    assert final["original"] == in_recorded.result.original_verdict
    assert all(isinstance(e, Event) for e in final["log"])


@dataclasses.dataclass(frozen=True)
class Foreign:
    """Not agentfix's: a record naming it must not get it imported and called."""

    value: str


def test_the_serializer_builds_agentfix_types_and_nothing_else() -> None:
    assert {("agentfix.engine.candidate", "Candidate"), ("agentfix.engine.state", "Event"),
            ("agentfix.validators.test_report", "Outcome")} <= set(record_types())  # fmt: skip
    serde = RecordSerde()
    check = Check("tests", "fail", "1 failed", "E   assert 6 == 5", 1.5, {"failed": 1})
    cand = Candidate(3, 1, Origin(Maker.RUFF_UNSAFE, ("B006",)), "x = 1\n",
                     verdict=Verdict((check,)))  # fmt: skip
    back = serde.loads_typed(serde.dumps_typed([cand, Status.NO_FIX]))
    assert back == [cand, Status.NO_FIX] and back[0].origin.rules == ("B006",)
    assert serde.loads_typed(serde.dumps_typed(Foreign("x"))) == {"value": "x"}


def test_a_redacted_record_keeps_its_enums() -> None:
    """A value holding a secret is rebuilt without it: its enums stay enums (a plain
    string would make every model candidate read back as ruff's)."""
    serde = RecordSerde([SECRET])
    check = Check(CheckName.TESTS, CheckStatus.FAIL, "1 failed", f"E   {SECRET}")
    cand = Candidate(2, 1, Origin(Maker.MODEL, model="m"), f"x = '{SECRET}'\n",
                     verdict=Verdict((check,)))  # fmt: skip
    back = serde.loads_typed(serde.dumps_typed([cand, Status.FIXED]))
    assert back[0].text == f"x = '{REDACTED}'\n"
    assert back[0].origin.maker is Maker.MODEL and str(back[0].origin) == "model:m"
    assert back[0].from_model and back[1] is Status.FIXED
    assert back[0].verdict.checks[0].status is CheckStatus.FAIL
    assert back[0].verdict.checks[0].name is CheckName.TESTS


def test_recording_off_leaves_no_database(tmp_path: Path, _own_cache_dir: Path) -> None:
    result = quick_fix(quick_project(tmp_path), record_runs=False)
    assert result.status == "fixed" and "recorded" not in result.message
    assert list(_own_cache_dir.iterdir()) == []
    assert quick_fix(quick_project(tmp_path)).status == "fixed"  # on by default
    assert [p.name for p in _own_cache_dir.iterdir()] == ["runs.sqlite"]


def test_pruning_keeps_the_bounds(
    tmp_path: Path, _own_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record, "BOUNDS", record.Bounds(runs=2))
    path = quick_project(tmp_path)
    for _ in range(3):
        assert quick_fix(path).status == "fixed"
    db = record.database()
    with sqlite3.connect(db) as conn:
        threads = {r[0] for r in conn.execute("SELECT DISTINCT thread_id FROM checkpoints")}
    listed = record.runs()
    assert len(listed) == 2 and threads == {r.id for r in listed}  # the oldest run is gone
    assert all(steps(r.id) for r in listed)
    conn = sqlite3.connect(db)
    with conn:  # the older one started 40 days ago: older than the bound of 30
        conn.execute("UPDATE agentfix_runs SET started = started - 40 * 86400 WHERE id = ?",
                     (listed[1].id,))  # fmt: skip
    assert record.prune(conn, record.Bounds()) == [listed[1].id]
    assert record.prune(conn, record.Bounds(megabytes=0.001)) == [listed[0].id]  # by size
    assert conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone() == (0,)
    conn.close()


def test_a_broken_store_never_fails_the_fix(
    tmp_path: Path, _own_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (_own_cache_dir / "runs.sqlite").write_bytes(b"this is not a database\n" * 200)
    result = quick_fix(quick_project(tmp_path))
    assert result.status == "fixed"
    assert result.message.count("could not be recorded") == 1
    assert "agentfix.recordRuns" in result.message
    # a database another process holds locked
    (_own_cache_dir / "runs.sqlite").unlink()
    assert quick_fix(quick_project(tmp_path)).status == "fixed"
    locker = sqlite3.connect(_own_cache_dir / "runs.sqlite", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        result = quick_fix(quick_project(tmp_path))
    finally:
        locker.close()
    assert result.status == "fixed" and result.message.count("could not be recorded") == 1
    assert "locked" in result.message
    # a store that fails in the middle of the run (a full disk): the same, one note

    def full(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SqliteSaver, "put_writes", full)
    result = quick_fix(quick_project(tmp_path))
    assert result.status == "fixed" and result.fixed == DEFINED
    assert result.message.count("could not be recorded") == 1
    assert "database or disk is full" in result.message


def test_secrets_never_enter_the_record(
    tmp_path: Path, _own_cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    url_password = "pw-in-the-url-0451"
    overrides: dict[str, object] = {"base_url": f"http://me:{url_password}@127.0.0.1:9/v1"}
    if "api_key" in Settings.model_fields:
        overrides["api_key"] = SECRET + "-setting"
    # the model even repeats the key in its answer (and so in the candidate and the log)
    answer = f"def f(x):\n    return x + 1  # {SECRET}\n"
    result = quick_fix(quick_project(tmp_path), answer, **overrides)
    assert result.status == "fixed" and SECRET in (result.fixed or "")  # the fix is intact
    stored = b"".join(p.read_bytes() for p in _own_cache_dir.rglob("*") if p.is_file())
    assert len(stored) > 10_000  # the run is there
    for secret in (SECRET, url_password):
        assert secret.encode() not in stored
    out = cli(capsys, "runs", "show", "last")[1]
    assert f"return x + 1  # {REDACTED}" in out and SECRET not in out


def test_the_editor_command_opens_the_last_run(
    tmp_path: Path, _own_cache_dir: Path, capsys
) -> None:
    from agentfix.lsp.runs import SHOW_LAST_RUN, show_last_run
    from agentfix.lsp.server import create_server

    assert SHOW_LAST_RUN in create_server().protocol.fm.commands  # executeCommandProvider
    path = quick_project(tmp_path)
    quick_fix(path)
    handler = show_last_run
    shown: list[Any] = []

    async def show_document(params: Any) -> Any:
        shown.append(params.uri)
        return SimpleNamespace(success=True)

    def editor(show: bool) -> Any:
        window = SimpleNamespace(show_document=SimpleNamespace(support=show))
        return SimpleNamespace(
            client_capabilities=SimpleNamespace(window=window),
            window_show_document_async=show_document,
            window_show_message=lambda params: shown.append(params.message),
        )

    reply = asyncio.run(handler(editor(True), {"uri": path.as_uri()}))
    assert reply["shown"] and shown == [Path(reply["path"]).as_uri()]
    text = Path(reply["path"]).read_text()
    assert Path(reply["path"]).is_relative_to(_own_cache_dir)
    assert text == cli(capsys, "runs", "show", "--file", str(path))[1]  # the CLI's renderer
    shown.clear()
    reply = asyncio.run(handler(editor(False), {"uri": path.as_uri()}))  # no showDocument
    assert not reply["shown"] and shown == [reply["message"]] and reply["path"] in shown[0]
    other = (tmp_path / "other.py").as_uri()
    shown.clear()
    reply = asyncio.run(handler(editor(True), {"uri": other}))
    assert not reply["shown"] and "no run is recorded" in shown[0]


def test_fix_help_and_version_stay_light() -> None:
    code = (
        "import sys\nfrom agentfix.cli import main\n"
        "for args in (['--version'], ['fix', '--help'], ['runs', '--help']):\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "heavy = ('pygls', 'lsprotocol', 'langgraph', 'langgraph.checkpoint.sqlite')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "[]"


def test_a_run_that_raises_is_listed_as_such(
    tmp_path: Path, _own_cache_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug while asking the model")

    monkeypatch.setattr("agentfix.engine.propose.ask_many", broken)
    with pytest.raises(RuntimeError):
        quick_fix(quick_project(tmp_path))
    code, out, _ = cli(capsys, "runs", "--json")
    [run] = json.loads(out)
    assert code == 0 and run["status"] == "error: RuntimeError"  # not "running" for ever
