"""Running fixes for the editor: the handler of ``agentfix.fix`` and of fix-on-save.

The event loop never waits on a fix: the fix, and the diffs that turn its result into
edits, a summary and a trace, run on a bounded pool (``finish.py``); the loop only claims
the document (``jobs.py``), takes a snapshot of it, shows progress (``editor_ui.py``) and
applies the edits the worker planned (``documents.py``). Each fix answers one
``FixReply`` (``reply.py``).
"""

from __future__ import annotations

import asyncio
import functools
import threading
import traceback
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from agentfix.engine.request import FixRequest, FixResult, Target
from agentfix.engine.run import run_fix
from agentfix.errors import AgentfixError, describe_os_error
from agentfix.lsp.actions import cancel_title
from agentfix.lsp.config import EditorConfig, pull_settings
from agentfix.lsp.documents import EditTracker, Snapshot, encoding_of, snapshot
from agentfix.lsp.editor_ui import NotesOnce, WorkDone, log_message, show, work_done
from agentfix.lsp.finish import Finished, run_and_finish
from agentfix.lsp.fix_args import parse_fix_args
from agentfix.lsp.jobs import Job, Jobs
from agentfix.lsp.reply import FixReply
from agentfix.project import Project, opened
from agentfix.providers import make_provider
from agentfix.settings import Settings
from agentfix.trace import Trace

CANCEL_WAIT = 30.0  # seconds a cancelled request waits for its fix's worker to stop


@dataclass(frozen=True)
class Ask:
    """One fix as the editor asked for it."""

    uri: str
    targets: tuple[Target, ...] = ()
    focus: Target | None = None
    trigger: str = "command"  # "command" or "save"


class FixManager:
    """Runs fixes on a bounded pool; at most one per document."""

    def __init__(self, server: LanguageServer, config: EditorConfig, workers: int = 2) -> None:
        self.server = server
        self.config = config
        self.jobs = Jobs()
        self.edits = EditTracker(server)
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="agentfix-fix")
        self._lock = threading.Lock()
        self._tasks: set[asyncio.Future[Any]] = set()  # fixes running in the background
        self._notes = NotesOnce()
        self._idle = threading.Condition()
        self._working = 0  # fixes in the pool's threads

    # ---- entry points -------------------------------------------------------------
    async def command(self, raw: tuple[Any, ...], request_id: Any = None) -> dict[str, Any]:
        """``agentfix.fix``: answers as soon as the fix has started (or why it cannot);
        the fix goes on in the background and ends with its edits and a message. Clients
        time out requests (eglot after 10 s) and block their UI on them; a fix takes
        minutes. ``wait``: the answer is the result (its request id can cancel it)."""
        args = parse_fix_args(raw)
        ask = Ask(args.uri, args.diagnostics(), args.focus())
        if args.wait:
            with self.jobs.request(request_id, args.uri):
                return (await self._fix(ask)).to_json()
        return (await self.start(ask)).to_json()

    def on_save(self, uri: str) -> None:
        """Start a background fix if fixOnSave is on (for this document: its folder's
        settings count) and this save is not of our own fix."""
        if self.edits.is_ours(snapshot(self.server.workspace, uri)):
            return  # the user saved the text we produced: nothing new to fix
        self._background(self._on_save(uri))

    async def _on_save(self, uri: str) -> None:
        try:
            settings = await self._settings(_path(uri), uri)
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return
        if settings.fix_on_save:
            await self._fix(Ask(uri, trigger="save"))

    async def _settings(self, path: Path, uri: str) -> Settings:
        """The document's settings, with what the client holds for its folder on top; a
        folder section the server cannot use is said once and left out, not a refusal
        of every fix."""
        pulled = await pull_settings(self.server, uri)
        try:
            return self.config.settings_for(path, pulled)
        except AgentfixError as exc:
            if pulled is None:
                raise
            self._show_once(types.MessageType.Warning, f"agentfix: the editor's settings for "
                            f"{path.name} were left out: {exc}")  # fmt: skip
            return self.config.settings_for(path)

    async def start(self, ask: Ask) -> FixReply:
        """Claim the document and run the fix in the background: the reply says started,
        or why not."""
        claimed = await self._claim(ask)
        if isinstance(claimed, FixReply):
            return claimed
        self._background(self._work(ask, *claimed))
        return FixReply.started(f"fixing {claimed[1].name} with local agent")

    def _background(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        with self._lock:  # keep a reference so the task is not garbage-collected
            self._tasks.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Future[Any]) -> None:
        with self._lock:
            self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # a fix ends with a message whatever happens: the user was told it started
            text = "".join(traceback.format_exception(error))
            self._log(text, types.MessageType.Error)
            self._show(types.MessageType.Error, f"agentfix: the fix failed: {error!r}")

    def cancel_request(self, request_id: Any) -> None:
        """$/cancelRequest for a running agentfix.fix: stop its model call and validators."""
        self.jobs.cancel_request(request_id)

    def cancel(self, uri: str, reason: str) -> bool:
        return self.jobs.cancel(uri, reason)

    def cancel_progress(self, progress_token: str) -> None:
        self.jobs.cancel_progress(progress_token)

    def cancel_all(self, reason: str) -> int:
        return self.jobs.cancel_all(reason)

    def shutdown(self, wait: float = 0.0) -> None:
        """Cancel every fix; wait up to ``wait`` seconds for their workers to stop (they
        kill their test processes as they do)."""
        self.cancel_all("the editor shut the server down")
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._idle:
            self._idle.wait_for(lambda: self._working == 0, timeout=wait)

    # ---- one fix --------------------------------------------------------------------
    async def fix(self, uri: str, targets: tuple[Target, ...], trigger: str) -> dict[str, Any]:
        """Fix the document at ``uri`` and wait for it: the result as JSON."""
        return (await self._fix(Ask(uri, targets, trigger=trigger))).to_json()

    async def _fix(self, ask: Ask) -> FixReply:
        claimed = await self._claim(ask)
        if isinstance(claimed, FixReply):
            return claimed
        return await self._work(ask, *claimed)

    async def _claim(self, ask: Ask) -> tuple[Job, Path, Settings] | FixReply:
        """The document for a new fix, with its path and settings; or the reply saying why
        there is no fix (also shown: an editor may not show a command's answer)."""
        try:
            path = _path(ask.uri)
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return FixReply.error(str(exc))
        doc = snapshot(self.server.workspace, ask.uri)
        name = path.name
        if path.suffix not in (".py", ".pyi") and doc.language_id != "python":
            message = f"agentfix: {name} is not a Python file; agentfix fixes Python files."
            self._show(types.MessageType.Warning, message)
            return FixReply.error(message)
        try:
            settings = await self._settings(path, ask.uri)
        except AgentfixError as exc:
            self._show(types.MessageType.Error, f"agentfix: {exc}")
            return FixReply.error(str(exc))
        job = await self.jobs.claim(ask.uri, settings.timeout, ask.trigger)
        if job is None:
            message = f"agentfix: a fix of {name} is already running (cancel it first)."
            self._show(types.MessageType.Warning, message)
            return FixReply.busy(message)
        return job, path, settings

    async def _work(self, ask: Ask, job: Job, path: Path, settings: Settings) -> FixReply:
        """Run a claimed fix with progress, apply it, and free the document."""
        try:
            base = snapshot(self.server.workspace, ask.uri)  # as it is now, after any wait
            request = FixRequest(path, base.text, ask.targets, ask.focus)
            async with work_done(self.server, f"Fixing {path.name} with local agent") as progress:
                self.jobs.show_progress(job, progress.token)
                if progress.token is None:  # the client shows no progress: say it started
                    cancel = cancel_title(ask.uri)
                    self._show(types.MessageType.Info, f"agentfix: fixing {path.name} with local "
                               f"agent… (to stop it: the code action “{cancel}”, or close "
                               "the file)")  # fmt: skip
                reply = await self._run(job, request, base, settings, progress)
                progress.end_with(reply.headline)
        finally:
            self.jobs.release(job)
        return reply

    async def _run(
        self, job: Job, request: FixRequest, base: Snapshot, settings: Settings,
        progress: WorkDone,
    ) -> FixReply:  # fmt: skip
        """Run the fix in the pool on ``base`` and apply it; errors become the reply."""
        path = request.path
        trace = Trace()
        provider = make_provider(settings)

        def run(project: Project) -> FixResult:
            return run_fix(request, settings, provider, token=job.token,
                           progress=progress.report, trace=trace, project=project)  # fmt: skip

        # the summary, the trace and the edits are diffs of the whole file: built in the
        # worker with the fix, never on this loop (see finish.py)
        encoding = encoding_of(self.server.workspace)
        work = functools.partial(
            self._counted, run_and_finish, request, settings, encoding, trace, run
        )
        future = asyncio.get_running_loop().run_in_executor(self._pool, work)
        try:
            try:
                finished = await asyncio.shield(future)
            except asyncio.CancelledError:  # $/cancelRequest: stop the model and validators
                job.token.cancel("cancelled by the editor")
                await asyncio.wait([future], timeout=CANCEL_WAIT)
                raise
            reply = await self._finish(base, path.name, finished, job.trigger)
            self._log(finished.log)
        except (AgentfixError, OSError) as exc:
            text = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            self._show(types.MessageType.Error, f"agentfix: {text}")
            return FixReply.error(text)
        except Exception as exc:
            self._log(traceback.format_exc(), types.MessageType.Error)
            self._show(types.MessageType.Error, f"agentfix failed on {path.name}: {exc!r}")
            return FixReply.error(repr(exc))
        return reply

    def _counted(self, work: Callable[..., Finished], *args: Any) -> Finished:
        """``work(*args)`` in a pool thread, counted so that shutdown can wait for it."""
        with self._idle:
            self._working += 1
        try:
            return work(*args)
        finally:
            with self._idle:
                self._working -= 1
                self._idle.notify_all()

    async def _finish(
        self, base: Snapshot, name: str, finished: Finished, trigger: str
    ) -> FixReply:
        """Apply a validated fix and tell the user how the fix ended."""
        applied = False
        result = finished.result
        message = result.message
        if finished.edits is not None:
            applied, why = await self.edits.apply(base, finished.edits, trigger)
            if not applied:
                message = f"{name}: a validated fix was found but not applied: {why}"
        kind = types.MessageType.Info if result.status in ("fixed", "clean") and (
            applied or result.status == "clean") else types.MessageType.Warning  # fmt: skip
        self._show(kind, f"agentfix: {self._notes.shown(message)}")
        return FixReply(result.status, message, applied)

    def _show(self, kind: types.MessageType, message: str) -> None:
        show(self.server, kind, message)

    def _show_once(self, kind: types.MessageType, message: str) -> None:
        if self._notes.first(message):
            self._show(kind, message)

    def _log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        log_message(self.server, message, kind)


def _path(uri: str) -> Path:
    path = uris.to_fs_path(uri)
    if not path or not uri.startswith("file:"):
        raise AgentfixError(f"{uri} is not a file on disk: save it first, then fix it.")
    return opened(Path(path))  # once, here: every later step sees this path
