"""What the user sees of a fix: work-done progress and messages.

Progress is a context manager (``work_done``) that always ends what it began: with the
fix's message, with "cancelled" when the request is cancelled, or with the error when
something escapes; an editor left with a spinning progress would show a fix running
forever. Nothing here raises: a client that refuses or drops progress does not fail the
fix it belongs to.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from agentfix.progress import Progress

log = logging.getLogger(__name__)


class WorkDone:
    """One progress in the editor (``token`` None when the client shows none)."""

    def __init__(self, server: LanguageServer, token: str | None) -> None:
        self.server = server
        self.token = token
        self.ending = ""  # the message it ends with
        self._loop = asyncio.get_running_loop()

    def report(self, event: Progress) -> None:
        """Safe from any thread (the fix's worker): sent from the event loop."""
        if self.token:
            value = types.WorkDoneProgressReport(message=event.message, percentage=event.percent)
            self._loop.call_soon_threadsafe(report_progress, self.server, self.token, value)

    def end_with(self, message: str) -> None:
        self.ending = message


@asynccontextmanager
async def work_done(server: LanguageServer, title: str) -> AsyncIterator[WorkDone]:
    """A cancellable progress titled ``title`` for the body; ended however the body ends."""
    progress = WorkDone(server, await begin_progress(server, title))
    try:
        yield progress
    except asyncio.CancelledError:
        progress.ending = "cancelled"
        raise
    except BaseException as exc:
        progress.ending = f"failed: {exc!r}"
        raise
    finally:
        end_progress(server, progress.token, progress.ending)


async def begin_progress(server: LanguageServer, title: str) -> str | None:
    """A new cancellable progress, or None when the client has no work-done progress."""
    caps = server.client_capabilities
    if not (caps.window and caps.window.work_done_progress):
        return None
    token = f"agentfix-{uuid.uuid4().hex[:12]}"
    try:
        await server.work_done_progress.create_async(token)
    except Exception:
        log.exception("work done progress could not be created")
        return None
    try:
        server.work_done_progress.begin(
            token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
        )
    except Exception:
        log.exception("work done progress could not begin")
        return None
    return token


def report_progress(
    server: LanguageServer, token: str, value: types.WorkDoneProgressReport
) -> None:
    try:
        server.work_done_progress.report(token, value)
    except Exception:
        log.exception("progress report failed")


def end_progress(server: LanguageServer, token: str | None, message: str) -> None:
    if token:
        try:
            server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        except Exception:
            log.exception("progress end failed")


def show(server: LanguageServer, kind: types.MessageType, message: str) -> None:
    """A message the editor pops up."""
    server.window_show_message(types.ShowMessageParams(type=kind, message=message))


def log_message(
    server: LanguageServer, message: str, kind: types.MessageType = types.MessageType.Log
) -> None:
    """A line in the editor's log of this server."""
    server.window_log_message(types.LogMessageParams(type=kind, message=message))


class NotesOnce:
    """Each ``note:`` line of a result shown once per server: the same note ("no
    environment of the project was found ...") under every result was noise, and took the
    whole echo area in Emacs. The reply and the log keep the full message."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: set[str] = set()

    def first(self, message: str) -> bool:
        """Whether ``message`` is shown for the first time (and remember it)."""
        with self._lock:
            new = message not in self._seen
            self._seen.add(message)
        return new

    def shown(self, message: str) -> str:
        kept = []
        with self._lock:
            for line in message.splitlines():
                if line.startswith("note: "):
                    if line in self._seen:
                        continue
                    self._seen.add(line)
                kept.append(line)
        return "\n".join(kept)
