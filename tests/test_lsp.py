"""The language server end to end (pytest-lsp, the real server as a subprocess, a fake
Ollama on 127.0.0.1 behind the real langchain-ollama client)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from conftest import CALC_BUGGY, CALC_TESTS, write_project
from fake_llm import FakeLLM
from lsp_editor import Editor, session
from scripted import fenced

WRONG = CALC_BUGGY.replace("return a - b", "return a * b")
RIGHT = CALC_BUGGY.replace("return a - b", "return a + b")
pytestmark = pytest.mark.asyncio


def options(fake: FakeLLM, **extra: Any) -> dict[str, Any]:
    return {"provider": "ollama", "baseUrl": fake.url, "model": "fake-model",
            "candidates": 1, **extra}  # fmt: skip


async def execute(editor: Editor, uri: str) -> dict[str, Any]:
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            "agentfix.fix", [{"uri": uri, "version": editor.version[uri], "targets": []}]
        )
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
            assert set(kinds) == {types.CodeActionKind.QuickFix, "source.fixAll.agentfix"}
            quick = kinds[types.CodeActionKind.QuickFix]
            assert quick.title == "Fix with local agent"
            assert quick.command.command == "agentfix.fix"
            arg = quick.command.arguments[0]
            assert arg["uri"] == uri and arg["version"] == 1
            assert "wrong sum" in arg["targets"][0]
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
            assert "assert 6 == 5" in fake.prompt_text(1)  # feedback reached round 2


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
