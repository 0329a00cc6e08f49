"""The server's log goes to the editor's log of this server (``window/logMessage``).

Editors show a server's stderr as errors (VS Code prefixes every line with ``[error]``), so
an INFO line per HTTP call looked like a failure. Records at INFO and above go to the
client at their own level once it has connected; stderr keeps only errors (and anything
logged before the client connects or after it left). pygls' own logger is never
forwarded: it logs each message it sends, which would send a message about a message.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from lsprotocol import types
from pygls.lsp.server import LanguageServer

LEVELS = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
)
FORMAT = "%(name)s: %(message)s"


class ClientLog(logging.Handler):
    """A logging handler that sends each record as ``window/logMessage``."""

    def __init__(self, server: LanguageServer) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter(FORMAT))
        self._server = server
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sending = threading.local()

    def connect(self, loop: asyncio.AbstractEventLoop) -> None:
        """The client is there (``initialize``): send from now on, on ``loop``."""
        self._loop = loop

    def disconnect(self) -> None:
        self._loop = None

    @property
    def connected(self) -> bool:
        loop = self._loop
        return loop is not None and not loop.is_closed()

    def filter(self, record: logging.LogRecord) -> bool:
        return self.connected and not record.name.startswith("pygls")

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is None or getattr(self._sending, "active", False):
            return
        kind = next((k for level, k in LEVELS if record.levelno >= level), types.MessageType.Log)
        params = types.LogMessageParams(type=kind, message=self.format(record))
        try:
            loop.call_soon_threadsafe(self._send, params)
        except RuntimeError:  # the loop closed meanwhile
            pass

    def _send(self, params: types.LogMessageParams) -> None:
        self._sending.active = True
        try:
            self._server.window_log_message(params)
        except Exception:  # the transport is gone: nothing to tell, nowhere to tell it
            pass
        finally:
            self._sending.active = False


class StderrLog(logging.StreamHandler):  # type: ignore[type-arg]
    """stderr: errors always, everything else only while no client hears it."""

    def __init__(self, client: ClientLog) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("agentfix: %(message)s"))
        self._client = client

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or not self._client.connected
