"""The server's message loop on stdio: no message can kill it, deafen it or go unanswered.

pygls' own loop trusts its input: ``Content-Length: 99999999999999999999`` raised an
OverflowError, ``999999999999`` a MemoryError (both ended the server), a length too short
or too long left it deaf for good, and requests it could not read (invalid params, a
wrong ``jsonrpc``, anything after ``shutdown``) were never answered. Here framing errors
resynchronise on the next ``Content-Length`` header (an unreadable length, or one over
``MAX_BODY``, is treated as noise up to the next header), and every request gets a
response — an error for invalid ones, as JSON-RPC requires. Malformed input is logged,
never shown to the user as a pop-up.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
)
from pygls.protocol import JsonRPCProtocol

log = logging.getLogger(__name__)

MAX_HEADER_LINE = 8192
MAX_BODY = 64 * 1024 * 1024  # an editor's largest message is the text of one file
HEADER = re.compile(rb"^([A-Za-z0-9-]+):[ \t]*(.*?)\r?\n$")
LENGTH = re.compile(rb"content-length:", re.I)


class FramedReader:
    """Reads stdin from a worker thread, with bytes pushed back for resynchronising."""

    def __init__(self, stdin: BinaryIO, executor: ThreadPoolExecutor) -> None:
        self._stdin = stdin
        self._executor = executor
        self._pending = b""

    async def _call(self, function: Callable[[int], bytes], n: int) -> bytes:
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, n)

    def push_back(self, data: bytes) -> None:
        self._pending = data + self._pending

    async def readline(self) -> bytes:
        """One line (at most ``MAX_HEADER_LINE`` bytes); ``b""`` at the end of input."""
        if self._pending:
            end = self._pending.find(b"\n", 0, MAX_HEADER_LINE)
            if end >= 0 or len(self._pending) >= MAX_HEADER_LINE:
                cut = end + 1 if end >= 0 else MAX_HEADER_LINE
                line, self._pending = self._pending[:cut], self._pending[cut:]
                return line
            head, self._pending = self._pending, b""
            return head + await self._call(self._stdin.readline, MAX_HEADER_LINE - len(head))
        return await self._call(self._stdin.readline, MAX_HEADER_LINE)

    async def read(self, n: int) -> bytes:
        """``n`` bytes, fewer only at the end of input."""
        data, self._pending = self._pending[:n], self._pending[n:]
        while len(data) < n:
            chunk = await self._call(self._stdin.read, min(n - len(data), 1 << 20))
            if not chunk:
                break
            data += chunk
        return data


class MessageLoop:
    """Frames, parses and dispatches messages for one pygls protocol."""

    def __init__(self, protocol: JsonRPCProtocol, reader: FramedReader) -> None:
        self.protocol = protocol
        self.reader = reader
        self.initialized = False
        self.malformed = 0

    def _malformed(self, what: str) -> None:
        self.malformed += 1
        if self.malformed <= 20 or self.malformed % 1000 == 0:
            log.warning("malformed input #%d from the client: %s", self.malformed, what)

    async def _headers(self) -> int | None:
        """The next message's Content-Length; None at the end of input."""
        length: int | None = None
        while True:
            line = await self.reader.readline()
            if not line:
                return None
            if line in (b"\r\n", b"\n"):
                if length is not None:
                    return length
                continue  # a blank line with no header before it: skip
            match = HEADER.match(line)
            if match is None:
                found = LENGTH.search(line)
                if found and found.start() > 0:  # a header glued to a cut body: resync
                    self.reader.push_back(line[found.start() :])
                else:
                    self._malformed(f"not a header: {line[:80]!r}")
                length = None
                continue
            if match.group(1).lower() == b"content-length":
                value = match.group(2).strip()
                length = int(value) if value.isdigit() and len(value) < 19 else -1

    async def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            length = await self._headers()
            if length is None:
                return
            if length < 0 or length > MAX_BODY:
                self._malformed(f"Content-Length {length} is not a size agentfix accepts")
                continue  # what follows is noise until the next Content-Length header
            body = await self.reader.read(length)
            if len(body) < length:
                return  # the input ended inside a body
            self.dispatch(body)

    def dispatch(self, body: bytes) -> None:
        """One message: parsed, checked, handled; a request always gets an answer."""
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            self._malformed("a body that is not JSON")
            found = LENGTH.search(body)
            if found:  # a Content-Length too long swallowed the next message(s)
                self.reader.push_back(body[found.start() :])
            self._error(None, JsonRpcParseError())
            return
        if not isinstance(data, dict):
            self._malformed("a JSON-RPC message must be an object")
            self._error(None, JsonRpcInvalidRequest())
            return
        msg_id = data.get("id")
        is_request = "id" in data and "method" in data
        problem = self._invalid(data, is_request)
        if problem is not None:
            self._malformed(problem)
            if "id" in data and "result" not in data and "error" not in data:
                usable = isinstance(msg_id, int | str) and not isinstance(msg_id, bool)
                self._error(msg_id if usable else None, JsonRpcInvalidRequest(problem))
            return
        try:
            message = json.loads(body, object_hook=self.protocol.structure_message)
        except JsonRpcInvalidParams:
            self._malformed(f"invalid params for {data.get('method')!r}")
            if is_request:
                self._error(msg_id, JsonRpcInvalidParams())
            return
        except Exception as exc:
            self._malformed(f"unreadable {data.get('method')!r}: {exc!r}")
            if is_request:
                self._error(msg_id, JsonRpcInvalidRequest(str(exc)))
            return
        if data.get("method") == "initialize":
            self.initialized = True
        try:
            self.protocol.handle_message(message)
        except Exception as exc:
            log.exception("handling %r failed", data.get("method"))
            if is_request:
                self._error(msg_id, JsonRpcInternalError(str(exc)))

    def _invalid(self, data: dict[str, Any], is_request: bool) -> str | None:
        if data.get("jsonrpc") != "2.0":
            return f"jsonrpc must be '2.0', got {data.get('jsonrpc')!r}"
        msg_id = data.get("id")
        if ("id" in data and not isinstance(msg_id, int | str)) or isinstance(msg_id, bool):
            return f"an id must be a number or a string, got {msg_id!r}"
        method = data.get("method")
        if "method" in data and not isinstance(method, str):
            return f"a method must be a string, got {method!r}"
        if "params" in data and not isinstance(data["params"], dict | list):
            return "params must be an object or an array"
        if is_request and method == "initialize" and self.initialized:
            return "the server is already initialized"
        if is_request and method != "exit" and getattr(self.protocol, "_shutdown", False):
            return "the server is shutting down: no more requests"
        return None

    def _error(self, msg_id: Any, error: JsonRpcException) -> None:
        try:
            self.protocol._send_response(msg_id, None, error.to_response_error())
        except Exception:
            log.exception("could not answer a malformed request")


def serve_stdio(protocol: JsonRPCProtocol, stdin: BinaryIO, stop: threading.Event) -> None:
    """Run the loop until the input ends or ``stop`` is set."""
    executor = ThreadPoolExecutor(1, thread_name_prefix="agentfix-stdin")
    try:
        asyncio.run(MessageLoop(protocol, FramedReader(stdin, executor)).run(stop))
    finally:
        executor.shutdown(wait=False)  # a read blocked on stdin ends with the process
