"""The language server end to end (pytest-lsp, the real server as a subprocess, a fake
Ollama on 127.0.0.1 behind the real langchain-ollama client)."""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from conftest import CALC_BUGGY, CALC_TESTS, write_project
from fake_llm import FakeLLM, Fault
from lsp_editor import Editor, session
from scripted import fenced

WRONG = CALC_BUGGY.replace("return a - b", "return a * b")
RIGHT = CALC_BUGGY.replace("return a - b", "return a + b")
pytestmark = pytest.mark.asyncio


def options(fake: FakeLLM, **extra: Any) -> dict[str, Any]:
    return {"provider": "ollama", "baseUrl": fake.url, "model": "fake-model",
            "candidates": 1, **extra}  # fmt: skip


async def execute(editor: Editor, uri: str, wait: bool = True) -> dict[str, Any]:
    """Run ``agentfix.fix`` on the whole file; ``wait``: answer with the result (as
    scripts ask), else the answer says it started (as editors ask)."""
    arg = {"uri": uri, "version": editor.version[uri], "targets": [], "wait": wait}
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams("agentfix.fix", [arg])
    )


def code_actions(editor: Editor, uri: str, diagnostics: list[types.Diagnostic]) -> Any:
    whole = types.Range(types.Position(0, 0), types.Position(9, 0))
    return editor.client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri), whole, types.CodeActionContext(diagnostics)
        )
    )


async def test_actions_are_listed_without_any_model_call(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            diag = types.Diagnostic(
                types.Range(types.Position(4, 4), types.Position(4, 16)), "wrong sum",
                source="pytest",
            )  # fmt: skip
            start = time.monotonic()
            actions = await code_actions(editor, uri, [diag])
            elapsed = time.monotonic() - start
            kinds = {a.kind: a for a in actions}
            assert set(kinds) == {types.CodeActionKind.QuickFix, "source.agentfix"}
            quick = kinds[types.CodeActionKind.QuickFix]
            assert quick.title == "Fix with local agent"
            assert quick.command.command == "agentfix.fix"
            arg = quick.command.arguments[0]
            assert arg["uri"] == uri and arg["version"] == 1
            assert arg["targets"] == [
                {"message": diag.message, "line": 5, "source": "pytest", "code": ""}
            ]
            assert fake.requests == [] and elapsed < 5


async def test_fix_is_applied_with_progress_and_a_message(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(WRONG), fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            result = await execute(editor, uri)
            assert result["status"] == "fixed" and result["applied"] is True
            assert editor.text[uri] == RIGHT
            assert calc.read_text() == CALC_BUGGY  # the editor owns the buffer; disk untouched
            edits = editor.applied[0].edit.document_changes[0].edits
            assert len(edits) == 1 and edits[0].new_text == "+"  # a minimal edit
            reports = next(iter(editor.client.progress_reports.values()))
            assert isinstance(reports[0], types.WorkDoneProgressBegin)
            assert isinstance(reports[-1], types.WorkDoneProgressEnd)
            messages = [r.message for r in reports[1:-1]]
            assert any("round 2/3" in (m or "") for m in messages)
            assert any("tests FAIL" in (m or "") for m in messages)
            assert any("fixed calc.py" in m.message for m in editor.client.messages)
            # round 2 asked for the suspect anew, with the original's failing test as target
            assert "Write `add` of `calc.py` anew" in fake.prompt_text(1)
            assert "assert -1 == 5" in fake.prompt_text(1)


async def test_progress_cancel_stops_the_running_tests(tmp_path: Path) -> None:
    slow = CALC_TESTS.replace("def test_add():", "def test_add():\n    import time\n"
                              "    time.sleep(60)")  # fmt: skip
    calc = write_project(tmp_path, tests=slow)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            task = asyncio.ensure_future(execute(editor, uri))
            while not editor.client.progress_reports:
                await asyncio.sleep(0.05)
            token = next(iter(editor.client.progress_reports))
            await asyncio.sleep(1.0)  # the baseline test run is sleeping now
            start = time.monotonic()
            editor.client.window_work_done_progress_cancel(
                types.WorkDoneProgressCancelParams(token)
            )
            result = await asyncio.wait_for(task, 30)
            assert result["status"] == "cancelled"
            assert time.monotonic() - start < 15
            assert editor.text[uri] == CALC_BUGGY and fake.requests == []


async def test_user_typing_elsewhere_is_rebased_and_in_the_fixed_lines_refused(
    tmp_path: Path,
) -> None:
    slowish = CALC_TESTS.replace("from calc", "import time\ntime.sleep(1.5)\nfrom calc")
    calc = write_project(tmp_path, tests=slowish)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            task = asyncio.ensure_future(execute(editor, uri))
            await asyncio.sleep(0.5)
            editor.type_text(uri, "# a note typed while fixing\n" + CALC_BUGGY)
            result = await asyncio.wait_for(task, 60)
            assert result["applied"] is True
            assert editor.text[uri] == "# a note typed while fixing\n" + RIGHT

            editor.type_text(uri, CALC_BUGGY)
            task = asyncio.ensure_future(execute(editor, uri))
            await asyncio.sleep(0.5)
            # the user rewrites the very operator the fix changes
            editor.type_text(uri, CALC_BUGGY.replace("return a - b", "return a % b"))
            result = await asyncio.wait_for(task, 60)
            assert result["status"] == "fixed" and result["applied"] is False
            assert "not applied" in result["message"]
            assert "return a % b" in editor.text[uri]


async def test_fix_on_save_applies_once_and_does_not_retrigger(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake, fixOnSave=True), tmp_path) as editor:
            uri = editor.open(calc)
            editor.save(uri)
            await asyncio.wait_for(editor.edit_applied.wait(), 60)
            assert editor.text[uri] == RIGHT
            served = len(fake.requests)
            editor.save(uri)  # saving our own fix must not start another one
            await asyncio.sleep(3)
            assert len(fake.requests) == served and len(editor.applied) == 1


async def test_malformed_requests_get_errors_and_the_server_lives_on(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            for arguments in ([], [{"version": 3}], [1, 2]):
                with pytest.raises(Exception, match=r"agentfix\.fix|argument"):
                    await editor.client.workspace_execute_command_async(
                        types.ExecuteCommandParams("agentfix.fix", arguments)
                    )
            result = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams("agentfix.fix", [{"uri": "untitled:Untitled-1"}])
            )
            assert result["status"] == "error" and "save it first" in result["message"]
            actions = await code_actions(editor, uri, [])
            assert [a.title for a in actions] == ["Fix file with local agent"]


async def test_bad_settings_are_reported_by_key_and_old_ones_kept(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session({**options(fake), "maxRounds": "many"}, tmp_path) as editor:
            await asyncio.sleep(0.5)
            assert any("maxRounds" in m.message or "max_rounds" in m.message
                       for m in editor.client.messages)  # fmt: skip
            editor.client.workspace_did_change_configuration(
                types.DidChangeConfigurationParams({"agentfix": options(fake)})
            )
            uri = editor.open(calc)
            result = await execute(editor, uri)
            assert result["applied"] is True and editor.text[uri] == RIGHT


def sleeper_tests(marker: str) -> str:
    """Tests whose first test starts a long `sleep` with a unique marker argument."""
    return CALC_TESTS.replace(
        "def test_add():",
        f"def test_add():\n    import subprocess\n    subprocess.run(['sleep', '{marker}'])",
    )


def processes_with(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if marker.encode() in fh.read():
                    found.append(int(pid))
        except OSError:
            continue
    return found


async def wait_for_process(marker: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not processes_with(marker):
        assert time.monotonic() < deadline, "the test run never started"
        await asyncio.sleep(0.1)


def unique_marker() -> str:
    return f"{random.randint(50, 59)}.{random.randint(100000, 999999)}"


async def test_cancel_request_kills_validators_and_the_server_keeps_serving(
    tmp_path: Path,
) -> None:
    marker = unique_marker()
    calc = write_project(tmp_path, tests=sleeper_tests(marker))
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            params = types.ExecuteCommandParams(
                "agentfix.fix", [{"uri": uri, "version": 1, "targets": [], "wait": True}]
            )
            request = asyncio.ensure_future(
                editor.client.protocol.send_request_async(
                    "workspace/executeCommand", params, msg_id="fix-1"
                )
            )
            await wait_for_process(marker)
            editor.client.protocol.notify("$/cancelRequest", types.CancelParams(id="fix-1"))
            with pytest.raises(Exception, match="cancel"):
                await asyncio.wait_for(request, 30)
            for _ in range(100):
                if not processes_with(marker):
                    break
                await asyncio.sleep(0.1)
            left = processes_with(marker)
            assert left == []
            actions = await code_actions(editor, uri, [])
            assert actions and editor.text[uri] == CALC_BUGGY


async def test_closing_the_document_cancels_its_fix(tmp_path: Path) -> None:
    marker = unique_marker()
    calc = write_project(tmp_path, tests=sleeper_tests(marker))
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            task = asyncio.ensure_future(execute(editor, uri))
            await wait_for_process(marker)
            editor.client.text_document_did_close(
                types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
            )
            result = await asyncio.wait_for(task, 30)
            assert result["status"] == "cancelled" and "closed" in result["message"]
            assert processes_with(marker) == []


async def test_two_documents_fix_at_once_while_actions_stay_responsive(
    tmp_path: Path,
) -> None:
    slow = CALC_TESTS.replace("from calc", "import time\ntime.sleep(2)\nfrom calc")
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    calcs = [write_project(one, tests=slow), write_project(two, tests=slow)]
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uris = [editor.open(c) for c in calcs]
            tasks = [asyncio.ensure_future(execute(editor, u)) for u in uris]
            while not editor.client.progress_reports:
                await asyncio.sleep(0.05)
            actions = await code_actions(editor, uris[0], [])
            assert actions and not any(t.done() for t in tasks)  # answered mid-fix
            busy = await execute(editor, uris[0])  # one fix per document at a time
            assert busy["status"] == "busy"
            results = await asyncio.wait_for(asyncio.gather(*tasks), 120)
            assert [r["applied"] for r in results] == [True, True]
            assert all(editor.text[u] == RIGHT for u in uris)


async def test_client_going_away_leaves_no_process_behind(tmp_path: Path) -> None:
    marker = unique_marker()
    calc = write_project(tmp_path, tests=sleeper_tests(marker))
    with FakeLLM([fenced(RIGHT)]) as fake:
        client = None
        async with session(options(fake), tmp_path) as editor:
            client = editor.client
            uri = editor.open(calc)
            pending = asyncio.ensure_future(execute(editor, uri))
            await wait_for_process(marker)
            client._server.stdin.close()  # the editor vanishes: stdin reaches EOF
            await asyncio.wait_for(client._server.wait(), 30)
            client.error = RuntimeError("server gone")  # skip the polite shutdown
            pending.cancel()
        assert client is not None
        for _ in range(100):
            if not processes_with(marker):
                break
            await asyncio.sleep(0.1)
        assert processes_with(marker) == []


async def test_cancelled_fixes_on_a_quiet_model_free_the_server_for_the_next(
    tmp_path: Path,
) -> None:
    """The model sends headers, then nothing. Two cancelled fixes used to hold both of the
    server's fix workers until the request timeout (116 s measured), so a third fix waited
    that long before it even asked the model."""
    calc = write_project(tmp_path)
    timeout = 60.0
    with FakeLLM([fenced(RIGHT)], fault=Fault.STALL) as fake:
        async with session(options(fake, requestTimeout=timeout), tmp_path) as editor:
            uri = editor.open(calc)
            waited = []
            for attempt in range(3):
                params = types.ExecuteCommandParams(
                    "agentfix.fix", [{"uri": uri, "version": 1, "targets": [], "wait": True}]
                )
                request = asyncio.ensure_future(
                    editor.client.protocol.send_request_async(
                        "workspace/executeCommand", params, msg_id=f"quiet-{attempt}"
                    )
                )
                asked = time.monotonic()
                while len(chats(fake)) <= attempt:
                    assert not request.done(), request.result()
                    await asyncio.sleep(0.05)
                waited.append(time.monotonic() - asked)
                editor.client.protocol.notify(
                    "$/cancelRequest", types.CancelParams(id=f"quiet-{attempt}")
                )
                with pytest.raises(Exception, match="cancel"):
                    await asyncio.wait_for(request, timeout)
            assert waited[2] < timeout / 4, f"the third fix waited {waited[2]:.1f}s for a worker"
            assert len(fake.client_left) == 3 or await _left(fake, 3)


async def _left(fake: FakeLLM, count: int) -> bool:
    for _ in range(100):
        if len(fake.client_left) >= count:
            return True
        await asyncio.sleep(0.05)
    return False


def chats(fake: FakeLLM) -> list[tuple[str, str]]:
    return [hit for hit in fake.hits if hit[1] in ("/api/chat", "/v1/chat/completions")]


async def test_exit_during_a_fix_is_prompt_and_leaves_no_process(tmp_path: Path) -> None:
    """VS Code kills a server that does not exit soon after `exit` (on every restart); the
    running fix must stop, with its test processes, and the server leave at once."""
    marker = unique_marker()
    calc = write_project(tmp_path, tests=sleeper_tests(marker))
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            assert (await execute(editor, uri, wait=False))["status"] == "started"
            await wait_for_process(marker)  # the test run sleeps 50-59 s
            start = time.monotonic()
            await editor.client.shutdown_session()
            await asyncio.wait_for(editor.client._server.wait(), 30)
            took = time.monotonic() - start
            assert editor.client._server.returncode == 0
            editor.client.error = RuntimeError("server gone")  # shut down already
    assert processes_with(marker) == []
    assert took < 10, took  # it did not wait for the sleeping tests


async def test_the_log_goes_to_the_editor_and_stderr_keeps_errors(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Editors show stderr as errors: VS Code printed every HTTP call as '[error]'."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            assert (await execute(editor, uri))["status"] == "fixed"
            logged = editor.client.log_messages
            http = [m for m in logged if "HTTP Request" in m.message]
            assert http and all(m.type == types.MessageType.Info for m in http)
    assert "HTTP Request" not in capfd.readouterr().err
