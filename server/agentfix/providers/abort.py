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
import time
import urllib.parse
import urllib.request
from typing import Any


class Abort:
    """The connections of one model request, and why it was ended (None while it runs)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._transports: list[Any] = []
        self._reason: str | None = None
        self._answering: float | None = None

    @property
    def answering_since(self) -> float | None:
        """``time.monotonic()`` of the answer's first streamed chunk (None before it): a
        one-request-at-a-time server may hold a request in its queue for minutes first."""
        with self._lock:
            return self._answering

    def answering(self) -> None:
        with self._lock:
            if self._answering is None:
                self._answering = time.monotonic()

    @property
    def reason(self) -> str | None:
        with self._lock:
            return self._reason

    def cause(self, exc: BaseException) -> BaseException:
        """What a failed read is to be explained as: the timeout that ended the request
        from outside, not the broken connection it left behind."""
        reason = self.reason
        return exc if reason is None else TimeoutError(reason)

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

    def close(self) -> None:
        """Close the connection pools of this request (its sockets with them)."""
        with self._lock:
            transports, self._transports = self._transports, []
        for transport in transports:
            try:
                transport.close()
            except Exception:  # a pool already closed, or closing from another thread
                pass

    def httpx_transport(self, url: str) -> Any:
        """An ``httpx`` transport whose requests report their connections here; None where
        a proxy from the environment serves ``url`` (a transport of our own would bypass
        it, so such requests end at their next chunk instead)."""
        if _proxied(url):
            return None
        import httpx

        abort = self

        class Transport(httpx.HTTPTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                request.extensions = {**request.extensions, "trace": abort.trace}
                return super().handle_request(request)

        return self._kept(Transport())

    def httpx2_transport(self, url: str) -> Any:
        """The same for ``httpx2`` (the OpenAI client's HTTP library)."""
        if _proxied(url):
            return None
        import httpx2

        abort = self

        class Transport(httpx2.HTTPTransport):
            def handle_request(self, request: Any) -> Any:
                request.extensions = {**request.extensions, "trace": abort.trace}
                return super().handle_request(request)

        return self._kept(Transport())

    def _kept(self, transport: Any) -> Any:
        with self._lock:
            self._transports.append(transport)
        return transport


def _proxied(url: str) -> bool:
    """Whether the environment's proxy settings send requests for ``url`` through a proxy."""
    proxies = urllib.request.getproxies()
    scheme, host = urllib.parse.urlsplit(url).scheme, urllib.parse.urlsplit(url).hostname or ""
    if not (proxies.get(scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass(host)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by its owner
