"""Ending a model request from another thread, at once, whatever the server is doing.

A worker thread reading a streamed answer sits in ``recv()`` until the server sends the
next chunk. A server that sent its headers and then nothing (busy, stuck, a proxy holding
the line) kept that thread, the CLI's Ctrl-C and the editor's next fix waiting for the
request timeout, 117 s in a measured case. Closing a socket does not wake a thread blocked
in it; ``shutdown()`` does. So each request's HTTP transport (httpx for Ollama, httpx2 for
the OpenAI client) records the sockets it connects, through httpcore's public ``trace``
request extension, and ``Abort.abort`` shuts them down: the reader gets end-of-stream
within milliseconds, and the server sees the client leave and stops generating.
"""

from __future__ import annotations

import socket
import threading
from typing import Any


class Abort:
    """The connections of one model request, and why it was ended (None while it runs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._reason: str | None = None

    @property
    def reason(self) -> str | None:
        with self._lock:
            return self._reason

    def abort(self, reason: str) -> None:
        """Shut down every connection of the request (and any it opens later)."""
        with self._lock:
            if self._reason is None:
                self._reason = reason
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's ``trace`` extension: keep the socket of each new connection."""
        if not event.endswith(".complete"):
            return
        stream = info.get("return_value")
        get = getattr(stream, "get_extra_info", None)
        sock = get("socket") if get is not None else None
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sockets.append(sock)
            ended = self._reason is not None
        if ended:
            _shut(sock)

    def httpx_transport(self) -> Any:
        """An ``httpx`` transport whose requests report their connections here."""
        import httpx

        abort = self

        class Transport(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                request.extensions = {**request.extensions, "trace": abort.trace}
                return super().handle_request(request)

        return Transport()

    def httpx2_transport(self) -> Any:
        """The same for ``httpx2`` (the OpenAI client's HTTP library)."""
        import httpx2

        abort = self

        class Transport(httpx2.HTTPTransport):  # type: ignore[misc]
            def handle_request(self, request: Any) -> Any:
                request.extensions = {**request.extensions, "trace": abort.trace}
                return super().handle_request(request)

        return Transport()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by its owner
