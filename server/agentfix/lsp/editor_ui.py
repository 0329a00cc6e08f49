"""Work-done progress in the editor: created, reported and ended without ever raising, so a
client that refuses or drops progress does not fail the fix it belongs to."""

from __future__ import annotations

import logging
import uuid

from lsprotocol import types
from pygls.lsp.server import LanguageServer

log = logging.getLogger(__name__)


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
    server.work_done_progress.begin(
        token, types.WorkDoneProgressBegin(title=title, cancellable=True, percentage=0)
    )
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
