"""What real clients do to the server (the real server as a subprocess, pytest-lsp's client,
a fake Ollama): answers that must come at once, settings messages that must not wipe what
the client sent first, code actions editors request by themselves on save."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from conftest import CALC_BUGGY, CALC_TESTS, write_project
from fake_llm import FakeLLM
from lsp_editor import Editor, session
from scripted import fenced

RIGHT = CALC_BUGGY.replace("return a - b", "return a + b")
SLOW_TESTS = CALC_TESTS.replace(
    "def test_add():", "def test_add():\n    import time\n\n    time.sleep(4)"
)
pytestmark = pytest.mark.asyncio


def options(fake: FakeLLM, **extra: Any) -> dict[str, Any]:
    return {"provider": "ollama", "baseUrl": fake.url, "model": "fake-model",
            "candidates": 1, **extra}  # fmt: skip


def dead_url() -> str:
    """A local URL where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def fix(editor: Editor, uri: str, **extra: Any) -> dict[str, Any]:
    """``agentfix.fix`` on the whole file, as an editor's code action runs it."""
    arg = {"uri": uri, "version": editor.version[uri], "targets": [], **extra}
    return await editor.client.workspace_execute_command_async(
        types.ExecuteCommandParams("agentfix.fix", [arg])
    )


async def ended(editor: Editor, text: str, timeout: float = 90) -> str:
    """The first message shown by the server that contains ``text``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in editor.client.messages:
            if text in message.message:
                return message.message
        await asyncio.sleep(0.05)
    shown = [m.message for m in editor.client.messages]
    raise AssertionError(f"no message with {text!r} within {timeout}s; shown: {shown}")


def actions_at(
    editor: Editor, uri: str, line: int, only: list[str] | None = None, automatic: bool = False
) -> Any:
    where = types.Range(types.Position(line, 4), types.Position(line, 4))
    trigger = types.CodeActionTriggerKind.Automatic if automatic else None
    context = types.CodeActionContext([], only=only, trigger_kind=trigger)
    return editor.client.text_document_code_action_async(
        types.CodeActionParams(types.TextDocumentIdentifier(uri), where, context)
    )


async def test_the_fix_command_answers_at_once_and_the_fix_lands_later(tmp_path: Path) -> None:
    """eglot waits 10 s for a command's answer, then errors and freezes; a fix takes
    minutes. The answer must say 'started' before the fix has done anything slow."""
    calc = write_project(tmp_path, tests=SLOW_TESTS)  # the baseline run alone takes 4 s
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            asked = time.monotonic()
            answer = await fix(editor, uri)
            answered = time.monotonic() - asked
            assert answer["status"] == "started" and "calc.py" in answer["message"]
            assert editor.applied == [] and fake.requests == []  # nothing has happened yet
            await asyncio.wait_for(editor.edit_applied.wait(), 120)
            fixed = time.monotonic() - asked
            assert editor.text[uri] == RIGHT
            assert "fixed" in await ended(editor, "fixed calc.py")
            reports = next(iter(editor.client.progress_reports.values()))
            assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
            assert answered * 4 < fixed  # the answer did not wait for the 4 s test run
            # a second fix of the same file while none runs starts again
            assert (await fix(editor, uri))["status"] == "started"


async def test_a_second_fix_of_a_busy_document_is_refused_at_once(tmp_path: Path) -> None:
    calc = write_project(tmp_path, tests=SLOW_TESTS)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            assert (await fix(editor, uri))["status"] == "started"
            second = await fix(editor, uri)
            assert second["status"] == "busy" and "already running" in second["message"]
            await asyncio.wait_for(editor.edit_applied.wait(), 120)


async def test_a_client_without_progress_is_told_when_the_fix_starts_and_ends(
    tmp_path: Path,
) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path, progress=False) as editor:
            uri = editor.open(calc)
            assert (await fix(editor, uri))["status"] == "started"
            started = await ended(editor, "fixing calc.py with local agent")
            assert "Cancel the agentfix fix of calc.py" in started
            await ended(editor, "fixed calc.py")
            assert editor.text[uri] == RIGHT and editor.client.progress_reports == {}


async def test_the_cancel_code_action_ends_a_background_fix(tmp_path: Path) -> None:
    calc = write_project(tmp_path, tests=SLOW_TESTS.replace("sleep(4)", "sleep(60)"))
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            assert (await fix(editor, uri))["status"] == "started"
            while not editor.client.progress_reports:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # the baseline's tests are sleeping
            # every editor lists code actions: while the fix runs, its cancel is the one
            actions = await actions_at(editor, uri, 4)
            assert [a.title for a in actions] == ["Cancel the agentfix fix of calc.py"]
            assert not await actions_at(editor, uri, 4, automatic=True)
            command = actions[0].command
            cancelled = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(command.command, command.arguments)
            )
            assert cancelled == {"cancelled": 1}
            await ended(editor, "cancel", timeout=30)
            reports = next(iter(editor.client.progress_reports.values()))
            while not isinstance(reports[-1], types.WorkDoneProgressEnd):
                await asyncio.sleep(0.05)
            assert editor.text[uri] == CALC_BUGGY and fake.requests == []


async def test_an_empty_configuration_message_keeps_the_settings_sent_at_start(
    tmp_path: Path,
) -> None:
    """eglot sends didChangeConfiguration {"settings": {}} right after connecting; the
    server used to replace its settings with it and ask the default Ollama URL."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)], model="custom-model") as fake:
        async with session(options(fake, model="custom-model"), tmp_path) as editor:
            notify = editor.client.workspace_did_change_configuration
            notify(types.DidChangeConfigurationParams(settings={}))
            notify(types.DidChangeConfigurationParams(settings={"agentfix": {"maxRounds": 2}}))
            uri = editor.open(calc)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "fixed", result
            chats = [r for r in fake.requests if "messages" in r]
            assert chats and all(r["model"] == "custom-model" for r in chats)
            # null returns a key to its default: the default model is not served here
            notify(types.DidChangeConfigurationParams(settings={"agentfix": {"model": None}}))
            editor.type_text(uri, CALC_BUGGY)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "provider_error", result
            assert "qwen2.5-coder:1.5b" in result["message"]


async def test_settings_pulled_per_document_override_the_initial_ones(tmp_path: Path) -> None:
    """A client that answers workspace/configuration (VS Code, Neovim, eglot) is asked for
    the document's own settings at each fix; they go over initializationOptions."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        start = {"provider": "ollama", "baseUrl": dead_url(), "model": "fake-model"}
        pulled = {"baseUrl": fake.url, "candidates": 1, "serverCommand": ["x"], "python": ""}
        async with session(start, tmp_path, configuration=pulled) as editor:
            uri = editor.open(calc)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "fixed", result
            assert editor.pulled == [uri]
            assert any("messages" in r for r in fake.requests)


async def test_a_client_answering_null_configuration_keeps_the_initial_settings(
    tmp_path: Path,
) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path, configuration={}) as editor:
            uri = editor.open(calc)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "fixed", result


async def test_saving_with_source_fix_all_never_offers_a_model_fix(tmp_path: Path) -> None:
    """VS Code's codeActionsOnSave {"source.fixAll": "explicit"} (and Neovim's BufWritePre
    snippet) ask for source.fixAll; a model fix there ran the model on every save."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            assert not await actions_at(editor, uri, 4, only=["source.fixAll"])
            assert not await actions_at(editor, uri, 4, only=["source"], automatic=True)
            lightbulb = await actions_at(editor, uri, 4, automatic=True)
            assert not lightbulb  # no diagnostics: nothing for the lightbulb
            menu = await actions_at(editor, uri, 4, only=["source"])
            assert [(a.title, a.kind) for a in menu] == [
                ("Fix file with local agent", "source.agentfix")
            ]
            assert fake.requests == []


async def test_the_function_under_the_cursor_is_one_keystroke_away(tmp_path: Path) -> None:
    """Ctrl+. (no diagnostic needed) offers the function under the cursor; its fix names
    the function to the model and fixes the file."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            actions = await actions_at(editor, uri, 4)  # `return a - b` in add
            titles = [a.title for a in actions]
            assert titles == ["Fix function `add` with local agent", "Fix file with local agent"]
            assert actions[0].kind == types.CodeActionKind.RefactorRewrite
            at_double = await actions_at(editor, uri, 8)
            assert at_double[0].title == "Fix function `double` with local agent"
            assert [a.title for a in await actions_at(editor, uri, 0)] == titles[1:]
            arg = {**actions[0].command.arguments[0], "wait": True}
            result = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams("agentfix.fix", [arg])
            )
            assert result["status"] == "fixed" and editor.text[uri] == RIGHT
            assert "line 4: the user asks to fix the function `add`" in fake.prompt_text(0)


async def test_an_edit_the_user_declines_is_reported_as_not_applied(tmp_path: Path) -> None:
    """eglot asks "Server wants to edit ... Proceed?" and answers a "no" with an error;
    that is the user's choice, not a crash of the fix."""
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            editor.decline = True
            uri = editor.open(calc)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "fixed" and result["applied"] is False, result
            assert "not applied" in result["message"]
            assert "User cancelled server edit" in result["message"]
            shown = [m.message for m in editor.client.messages]
            assert not any("failed" in m or "internal error" in m for m in shown), shown
            assert editor.text[uri] == CALC_BUGGY


async def test_a_note_is_shown_once_per_session_and_kept_in_the_answer(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path) as editor:
            uri = editor.open(calc)
            first = await fix(editor, uri, wait=True)
            editor.type_text(uri, CALC_BUGGY)
            second = await fix(editor, uri, wait=True)
            note = "note: no environment of the project was found"
            assert note in first["message"] and note in second["message"]
            shown = [m.message for m in editor.client.messages if "fixed calc.py" in m.message]
            assert len(shown) == 2 and note in shown[0] and note not in shown[1]


async def test_unusable_folder_settings_are_said_once_and_left_out(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        pulled = {"maxRounds": "many"}
        async with session(options(fake), tmp_path, configuration=pulled) as editor:
            uri = editor.open(calc)
            result = await fix(editor, uri, wait=True)
            assert result["status"] == "fixed", result
            said = [m.message for m in editor.client.messages if "left out" in m.message]
            assert len(said) == 1 and "max" in said[0].lower(), said


async def test_fix_on_save_set_for_the_folder_is_honoured(tmp_path: Path) -> None:
    calc = write_project(tmp_path)
    with FakeLLM([fenced(RIGHT)]) as fake:
        async with session(options(fake), tmp_path, configuration={"fixOnSave": True}) as editor:
            uri = editor.open(calc)
            editor.save(uri)
            await asyncio.wait_for(editor.edit_applied.wait(), 90)
            assert editor.text[uri] == RIGHT
