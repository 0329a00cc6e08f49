"""Running fixes for the editor: off the event loop, one per document, cancellable, with
work-done progress, and applied as versioned minimal edits (re-based if the user typed).

State shared between the event loop and worker threads (running fixes, progress tokens,
the text of our last applied fix) is guarded by one lock, so it stays correct on
free-threaded Python.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pydantic import BaseModel, ConfigDict, ValidationError
from pygls import uris
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from agentfix.cancel import CancelToken
from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.errors import AgentfixError, describe_os_error
from agentfix.lsp.config import EditorConfig
from agentfix.lsp.editor_ui import begin_progress, end_progress, report_progress
from agentfix.lsp.finish import Finished, plan_edits, run_and_finish
from agentfix.progress import Progress
from agentfix.project import opened
from agentfix.providers import make_provider
from agentfix.trace import Trace

log = logging.getLogger(__name__)
MAX_REBASES = 5
ENDING_WAIT = 10.0  # seconds a new fix waits for a cancelled one of its document to end


class FixArgs(BaseModel):
    """The argument of ``agentfix.fix`` as code actions build it."""

    model_config = ConfigDict(extra="ignore")
    uri: str
    version: int | None = None
    targets: list[str] = []


@dataclass
class Running:
    token: CancelToken
    done: asyncio.Future[Any]
    trigger: str


class FixManager:
    """Runs fixes on a bounded pool; at most one per document."""

    def __init__(self, server: LanguageServer, config: EditorConfig, workers: int = 2) -> None:
        self.server = server
        self.config = config
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="agentfix-fix")
        self._lock = threading.Lock()
        self._running: dict[str, Running] = {}
        self._progress_uri: dict[str, str] = {}
        self._last_fix: dict[str, str] = {}
        self._tasks: set[asyncio.Future[Any]] = set()
        self._requests: dict[Any, str] = {}  # JSON-RPC id of a running agentfix.fix -> uri

    def _forget(self, task: asyncio.Future[Any]) -> None:
        with self._lock:
            self._tasks.discard(task)

    # ---- entry points -------------------------------------------------------------
    async def command(self, raw: tuple[Any, ...], request_id: Any = None) -> dict[str, Any]:
        if len(raw) != 1:
            raise JsonRpcInvalidParams.of(
                ValueError(f"agentfix.fix takes one argument {{uri, version}}, got {len(raw)}")
            )
        try:
            args = FixArgs.model_validate(raw[0])
        except ValidationError as exc:
            raise JsonRpcInvalidParams.of(ValueError(f"bad agentfix.fix argument: {exc}")) from exc
        if request_id is not None:
            with self._lock:
                self._requests[request_id] = args.uri
        try:
            return await self.fix(args.uri, tuple(args.targets), "command")
        finally:
            with self._lock:
                self._requests.pop(request_id, None)

    def cancel_request(self, request_id: Any) -> None:
        """$/cancelRequest for a running agentfix.fix: stop its model call and validators."""
        with self._lock:
            uri = self._requests.pop(request_id, None)
        if uri is not None:
            self.cancel(uri, "cancelled by the editor")

    def on_save(self, uri: str) -> None:
        """Start a background fix if fixOnSave is on and this save is not of our own fix."""
        doc = self.server.workspace.get_text_document(uri)
        with self._lock:
            if self._last_fix.get(uri) == doc.source:
                return  # the user saved the text we produced: nothing new to fix
        try:
            settings = self.config.settings_for(_path(uri))
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return
        if settings.fix_on_save:
            task = asyncio.ensure_future(self.fix(uri, (), "save"))
            with self._lock:  # keep a reference so the task is not garbage-collected
                self._tasks.add(task)
            task.add_done_callback(self._forget)

    def cancel(self, uri: str, reason: str) -> bool:
        with self._lock:
            running = self._running.get(uri)
        if running is None:
            return False
        running.token.cancel(reason)
        return True

    def cancel_progress(self, progress_token: str) -> None:
        with self._lock:
            uri = self._progress_uri.get(str(progress_token))
        if uri:
            self.cancel(uri, "cancelled from the editor's progress")

    def cancel_all(self, reason: str) -> int:
        with self._lock:
            running = list(self._running.values())
        for r in running:
            r.token.cancel(reason)
        return len(running)

    def shutdown(self) -> None:
        self.cancel_all("the editor shut the server down")
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ---- one fix --------------------------------------------------------------------
    async def fix(self, uri: str, targets: tuple[str, ...], trigger: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        try:
            path = _path(uri)
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return {"status": "error", "message": str(exc), "applied": False}
        doc = self.server.workspace.get_text_document(uri)
        name = path.name
        if path.suffix not in (".py", ".pyi") and doc.language_id != "python":
            message = f"agentfix: {name} is not a Python file; agentfix fixes Python files."
            self._show(types.MessageType.Warning, message)
            return {"status": "error", "message": message, "applied": False}
        try:
            settings = self.config.settings_for(path)
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return {"status": "error", "message": str(exc), "applied": False}
        done: asyncio.Future[Any] = loop.create_future()
        while True:  # claim the document, after a cancelled fix of it has ended
            with self._lock:
                previous = self._running.get(uri)
                if previous is None:
                    token = CancelToken(settings.timeout)
                    self._running[uri] = Running(token, done, trigger)
                    break
            if trigger == "save":
                previous.token.cancel("a new save started another fix")
            ended = False
            if previous.token.stopped:  # cancelled: it ends within a second, wait for it
                gone, _ = await asyncio.wait([asyncio.shield(previous.done)], timeout=ENDING_WAIT)
                ended = bool(gone)
            if not ended:
                message = f"agentfix: a fix of {name} is already running (cancel it first)."
                self._show(types.MessageType.Warning, message)
                return {"status": "busy", "message": message, "applied": False}
        doc = self.server.workspace.get_text_document(uri)  # as it is now, after any wait
        base_text, base_version = doc.source, doc.version
        progress = await self._begin_progress(uri, f"Fixing {name} with local agent")
        trace = Trace()
        encoding = self.server.workspace.position_encoding or types.PositionEncodingKind.Utf16
        request = FixRequest(path, base_text, targets)

        def report(event: Progress) -> None:
            if progress:
                value = types.WorkDoneProgressReport(
                    message=event.message, percentage=event.percent
                )
                loop.call_soon_threadsafe(self._report, progress, value)

        run = functools.partial(
            run_fix, request, settings, make_provider(settings), token=token, progress=report,
            trace=trace,
        )  # fmt: skip
        # the summary, the trace and the edits are diffs of the whole file: built in the
        # worker with the fix, never on this loop (see finish.py)
        work = functools.partial(run_and_finish, request, settings, encoding, trace, run)
        future = loop.run_in_executor(self._pool, work)
        outcome: dict[str, Any]
        try:
            try:
                finished = await asyncio.shield(future)
            except asyncio.CancelledError:  # $/cancelRequest: stop the model and validators
                token.cancel("cancelled by the editor")
                await asyncio.wait([future], timeout=30)
                raise
            outcome = await self._finish(uri, name, finished, base_text, base_version, trigger)
            self._log(finished.log)
        except (AgentfixError, OSError) as exc:
            text = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            self._show(types.MessageType.Error, f"agentfix: {text}")
            outcome = {"status": "error", "message": text, "applied": False}
        except asyncio.CancelledError:
            self._end_progress(progress, "cancelled")
            raise
        except Exception as exc:
            self._log(traceback.format_exc(), types.MessageType.Error)
            self._show(types.MessageType.Error, f"agentfix failed on {name}: {exc!r}")
            outcome = {"status": "error", "message": repr(exc), "applied": False}
        finally:
            with self._lock:
                if self._running.get(uri) is not None and self._running[uri].token is token:
                    del self._running[uri]
                if progress:
                    self._progress_uri.pop(progress, None)
            if not done.done():
                done.set_result(None)
        self._end_progress(
            progress, outcome["message"].splitlines()[0] if outcome["message"] else ""
        )
        return outcome

    async def _finish(
        self, uri: str, name: str, finished: Finished, base_text: str, base_version: int | None,
        trigger: str,
    ) -> dict[str, Any]:  # fmt: skip
        applied = False
        result = finished.result
        message = result.message
        if finished.edits is not None:
            applied, why = await self._apply(uri, base_text, base_version, finished.edits, trigger)
            if not applied:
                message = f"{name}: a validated fix was found but not applied: {why}"
        kind = types.MessageType.Info if result.status in ("fixed", "clean") and (
            applied or result.status == "clean") else types.MessageType.Warning  # fmt: skip
        self._show(kind, f"agentfix: {message}")
        return {"status": result.status, "message": message, "applied": applied}

    async def _apply(
        self, uri: str, base_text: str, base_version: int | None,
        fix: tuple[types.TextEdit, ...], trigger: str,
    ) -> tuple[bool, str]:  # fmt: skip
        workspace = self.server.workspace
        encoding = workspace.position_encoding or types.PositionEncodingKind.Utf16
        doc = workspace.get_text_document(uri)
        if doc.version != base_version and trigger == "save":
            return False, "the buffer changed after the save that started this fix"
        for _ in range(MAX_REBASES):  # re-based in a thread; again if the user typed meanwhile
            version = doc.version
            edits, expected = await asyncio.to_thread(plan_edits, base_text, fix, doc.source,
                                                      encoding)  # fmt: skip
            doc = workspace.get_text_document(uri)
            if doc.version == version:
                break
        else:
            return False, "the buffer kept changing while the fix was re-based; run it again"
        if edits is None:
            return False, "you edited the lines it changes while it ran; run it again"
        caps = self.server.client_capabilities
        versioned = bool(
            caps.workspace and caps.workspace.workspace_edit
            and caps.workspace.workspace_edit.document_changes
        )  # fmt: skip
        if versioned:
            ident = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=doc.version)
            change = types.TextDocumentEdit(text_document=ident, edits=list(edits))
            edit = types.WorkspaceEdit(document_changes=[change])
        else:
            edit = types.WorkspaceEdit(changes={uri: list(edits)})
        with self._lock:
            self._last_fix[uri] = expected
        response = await self.server.workspace_apply_edit_async(
            types.ApplyWorkspaceEditParams(edit=edit, label="agentfix: validated fix")
        )
        if not response.applied:
            with self._lock:
                self._last_fix.pop(uri, None)
            return False, f"the editor refused the edit ({response.failure_reason or 'no reason'})"
        return True, ""

    # ---- progress and messages ----------------------------------------------------------
    async def _begin_progress(self, uri: str, title: str) -> str | None:
        token = await begin_progress(self.server, title)
        if token:
            with self._lock:
                self._progress_uri[token] = uri
        return token

    def _report(self, token: str, value: types.WorkDoneProgressReport) -> None:
        report_progress(self.server, token, value)

    def _end_progress(self, token: str | None, message: str) -> None:
        end_progress(self.server, token, message)

    def _show(self, kind: types.MessageType, message: str) -> None:
        self.server.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def _log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.server.window_log_message(types.LogMessageParams(type=kind, message=message))


def _path(uri: str) -> Path:
    path = uris.to_fs_path(uri)
    if not path or not uri.startswith("file:"):
        raise AgentfixError(f"{uri} is not a file on disk: save it first, then fix it.")
    return opened(Path(path))  # once, here: every later step sees this path
