"""A scripted fake LLM server speaking the Ollama and the OpenAI chat protocols over HTTP.

The real ``ChatOllama`` (ollama client) and ``ChatOpenAI`` (openai client) talk to it as
to a real server, so end-to-end tests exercise their request building, streaming parsers
and usage accounting. Each chat request gets the next scripted answer (the last one
repeats) and its JSON body is recorded.

    with FakeLLM(["```python\\n...\\n```"], model="fake-model") as llm:
        ... --base-url llm.url (Ollama) or llm.url + "/v1" (OpenAI) ...
        llm.requests[0]["messages"]

Context windows, as real servers state and enforce them: ``context_length`` is what Ollama's
``/api/show`` reports (``model_info["fake.context_length"]``); ``props_n_ctx`` is llama.cpp's
``/props`` ``default_generation_settings.n_ctx``; ``n_ctx`` makes a chat request whose prompt
(counted as ``FAKE_CHARS_PER_TOKEN`` characters a token) exceeds it fail with HTTP 400 and
llama-cpp-python's "Requested tokens (N) exceed context window of M" (as the Ollama shim
passes it on); ``list_delay`` keeps ``/api/tags`` and ``/v1/models`` waiting that many
seconds, like a one-request-at-a-time server busy generating; ``seen_tokens`` is the
``prompt_eval_count`` Ollama answers report (a server that cut the prompt reports its window);
``silent_stream_errors`` answers a refused *streamed* request as llama-cpp-python's server
does (and the Ollama shim in front of it passes on): HTTP 200 and an empty stream.

``fault`` makes every chat request fail as real servers and networks do (``Fault``); the
moments clients hung up on a stalled or trickling answer are in ``client_left``.
"""

from __future__ import annotations

import enum
import json
import select
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

CHUNKS = 4  # pieces a streamed answer is split into
FAKE_CHARS_PER_TOKEN = 4  # how the fake's ``n_ctx`` counts a prompt (a real tokenizer's rate)


class Fault(enum.Enum):
    """How a chat request goes wrong."""

    STALL = "stall"  # HTTP 200 and headers, then nothing until the client leaves
    TRICKLE = "trickle"  # an endless answer, one token every 0.2 s (a model that loops)
    HTTP_500 = "http500"  # the server fails (out of memory, a crashed runner)
    GARBAGE = "garbage"  # HTTP 200 with a body that is not the API's (a proxy's page)
    DROP = "drop"  # the first piece of the answer, then the connection is cut


class FakeLLM:
    """A threaded HTTP server on 127.0.0.1 (a free port) answering from a script."""

    def __init__(
        self,
        answers: Sequence[str],
        model: str = "fake-model",
        *,
        served_models: Sequence[str] | None = None,
        context_length: int | None = None,
        props_n_ctx: int | None = None,
        n_ctx: int | None = None,
        list_delay: float = 0.0,
        seen_tokens: int | None = None,
        silent_stream_errors: bool = False,
        fault: Fault | None = None,
    ) -> None:
        if not answers:
            raise ValueError("FakeLLM needs at least one scripted answer")
        self.model = model
        self.served_models = list(served_models) if served_models is not None else [model]
        self._answers = list(answers)
        self.context_length = context_length
        self.props_n_ctx = props_n_ctx
        self.n_ctx = n_ctx
        self.list_delay = list_delay
        self.seen_tokens = seen_tokens  # the prompt tokens reported, as a server that cut it
        self.silent_stream_errors = silent_stream_errors
        self.fault = fault
        self.client_left: list[float] = []  # time.monotonic() when a client hung up mid-answer
        self._stopping = threading.Event()
        self.refused: list[dict[str, Any]] = []  # chat requests refused as too long for n_ctx
        self._lock = threading.Lock()
        self._requests: list[dict[str, Any]] = []
        self._hits: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.handle_error = _quiet  # type: ignore[method-assign]  # clients that hang up
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-llm", daemon=True
        )

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what was asked ---------------------------------------------------------------------

    @property
    def requests(self) -> list[dict[str, Any]]:
        """JSON bodies of every chat request, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def hits(self) -> list[tuple[str, str]]:
        """(method, path) of every HTTP request, health checks included (a copy)."""
        with self._lock:
            return list(self._hits)

    def prompt_text(self, index: int) -> str:
        """All message contents of chat request ``index`` joined: what the model was told."""
        return "\n".join(_content_text(m.get("content")) for m in self.requests[index]["messages"])

    # -- used by the handler ----------------------------------------------------------------

    def _hit(self, method: str, path: str) -> None:
        with self._lock:
            self._hits.append((method, path))

    def _refusal(self, body: dict[str, Any]) -> str | None:
        """llama-cpp-python's error for a prompt longer than ``n_ctx``; None when it fits."""
        if self.n_ctx is None:
            return None
        chars = sum(len(_content_text(m.get("content"))) for m in body.get("messages") or [])
        tokens = chars // FAKE_CHARS_PER_TOKEN
        if tokens <= self.n_ctx:
            return None
        with self._lock:
            self.refused.append(body)
        return f"Requested tokens ({tokens}) exceed context window of {self.n_ctx}"

    def _next_answer(self, body: dict[str, Any]) -> str:
        with self._lock:
            self._requests.append(body)
            index = min(len(self._requests), len(self._answers)) - 1
            return self._answers[index]


def _quiet(request: object, client_address: object) -> None:
    """A client that hung up (a cancel, a reused connection reset) is not an error here."""


def _content_text(content: object) -> str:
    """Message content as text: a string, or OpenAI-style content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content
        )
    return "" if content is None else str(content)


def _pieces(text: str, n: int = CHUNKS) -> list[str]:
    """``text`` cut into about ``n`` consecutive non-empty pieces (as tokens would stream)."""
    if not text:
        return [""]
    size = max(1, -(-len(text) // n))
    return [text[i : i + size] for i in range(0, len(text), size)]


def _count_tokens(messages: object) -> int:
    """A stand-in token count: whitespace-separated words of all messages."""
    if not isinstance(messages, list):
        return 0
    return sum(
        len(_content_text(m.get("content")).split()) for m in messages if isinstance(m, dict)
    )


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _handler_for(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, like the real servers
        server_version = "FakeLLM/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests' output stays readable."""

        # -- plumbing -----------------------------------------------------------------------

        def _read_json(self) -> dict[str, Any] | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not raw:
                return {}
            try:
                data = json.loads(raw)
            except ValueError:
                return None
            return data if isinstance(data, dict) else None

        def _send_json(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _send_stream(self, content_type: str, parts: Iterator[bytes]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for part in parts:
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client stopped reading (a cancel)

        # -- routing ------------------------------------------------------------------------

        def do_GET(self) -> None:
            fake._hit("GET", self.path)
            if self.path in ("/api/tags", "/v1/models") and fake.list_delay:
                time.sleep(fake.list_delay)  # busy generating for someone else
            if self.path == "/props" and fake.props_n_ctx is not None:
                settings = {"n_ctx": fake.props_n_ctx, "params": {}}
                self._send_json(200, {"default_generation_settings": settings, "total_slots": 1})
            elif self.path == "/api/tags":
                self._send_json(200, {"models": [_ollama_tag(m) for m in fake.served_models]})
            elif self.path == "/api/version":
                self._send_json(200, {"version": "0.6.3-fake"})
            elif self.path == "/v1/models":
                data = [
                    {"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                    for m in fake.served_models
                ]
                self._send_json(200, {"object": "list", "data": data})
            else:
                self._send_json(404, {"error": f"no route GET {self.path}"})

        def do_POST(self) -> None:
            fake._hit("POST", self.path)
            body = self._read_json()
            if body is None:
                self._send_json(400, {"error": "body is not a JSON object"})
            elif self.path == "/api/show":
                self._ollama_show(body)
            elif fake.fault is not None and self.path in ("/api/chat", "/v1/chat/completions"):
                self._fail(fake.fault, self.path == "/api/chat")
            elif self.path == "/api/chat":
                self._ollama_chat(body)
            elif self.path == "/v1/chat/completions":
                self._openai_chat(body)
            else:
                self._send_json(404, {"error": f"no route POST {self.path}"})

        # -- faults ---------------------------------------------------------------------------

        def _fail(self, fault: Fault, ollama: bool) -> None:
            if fault is Fault.HTTP_500:
                self._send_json(500, {"error": "llama runner process has terminated: signal: "
                                      "killed (out of memory)"})  # fmt: skip
            elif fault is Fault.GARBAGE:
                data = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                kind = "application/x-ndjson" if ollama else "text/event-stream"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                self._hold(fault, ollama)
            self.close_connection = True

        def _hold(self, fault: Fault, ollama: bool) -> None:
            """Stall, trickle or drop, until the client hangs up or the fake stops."""
            piece = {"model": fake.model, "created_at": _now_iso(), "done": False,
                     "message": {"role": "assistant", "content": "the "}}  # fmt: skip
            line = json.dumps(piece).encode() + b"\n"
            if not ollama:
                delta = {"index": 0, "delta": {"content": "the "}, "finish_reason": None}
                event = {"id": "x", "object": "chat.completion.chunk", "created": 0,
                         "model": fake.model, "choices": [delta]}  # fmt: skip
                line = b"data: " + json.dumps(event).encode() + b"\n\n"
            chunk = f"{len(line):x}\r\n".encode() + line + b"\r\n"
            sock: socket.socket = self.connection
            if fault is Fault.DROP:
                self.wfile.write(chunk)
                self.wfile.flush()
                sock.shutdown(socket.SHUT_RDWR)
                return
            while not fake._stopping.is_set():
                readable, _, _ = select.select([sock], [], [], 0.2)
                try:
                    if readable and not sock.recv(1, socket.MSG_PEEK):
                        break  # the client closed its side
                    if fault is Fault.TRICKLE:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except OSError:
                    break
            else:
                return
            with fake._lock:
                fake.client_left.append(time.monotonic())

        # -- Ollama ---------------------------------------------------------------------------

        def _ollama_show(self, body: dict[str, Any]) -> None:
            name = body.get("model") or body.get("name")
            if name not in fake.served_models:
                self._send_json(404, {"error": f"model '{name}' not found"})
                return
            self._send_json(
                200,
                {
                    "modelfile": f"FROM {name}",
                    "parameters": "",
                    "template": "{{ .Prompt }}",
                    "details": {"format": "gguf", "family": "fake", "parameter_size": "1B"},
                    "model_info": {}
                    if fake.context_length is None
                    else {
                        "general.architecture": "fake",
                        "fake.context_length": fake.context_length,
                    },
                    "capabilities": ["completion"],
                },
            )

        def _ollama_chat(self, body: dict[str, Any]) -> None:
            model = body.get("model")
            if model not in fake.served_models:
                self._send_json(404, {"error": f"model '{model}' not found, try pulling it first"})
                return
            if refused := fake._refusal(body):
                if fake.silent_stream_errors and body.get("stream", True) is not False:
                    empty = {"role": "assistant", "content": ""}
                    done = {"model": model, "created_at": _now_iso(), "message": empty,
                            "done": True, "done_reason": "stop", "eval_count": 0}  # fmt: skip
                    self._send_stream("application/x-ndjson", iter([json.dumps(done).encode()]))
                else:
                    self._send_json(400, {"error": refused})
                return
            answer = fake._next_answer(body)
            prompt_tokens = fake.seen_tokens or _count_tokens(body.get("messages"))
            pieces = _pieces(answer)
            final = {
                "model": model,
                "created_at": _now_iso(),
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": "stop",
                "total_duration": 1_000_000,
                "load_duration": 1000,
                "prompt_eval_count": prompt_tokens,
                "prompt_eval_duration": 1000,
                "eval_count": len(pieces),
                "eval_duration": 1000,
            }
            if body.get("stream", True) is False:
                self._send_json(200, {**final, "message": {"role": "assistant", "content": answer}})
                return

            def lines() -> Iterator[bytes]:
                for piece in pieces:
                    chunk = {
                        "model": model,
                        "created_at": _now_iso(),
                        "message": {"role": "assistant", "content": piece},
                        "done": False,
                    }
                    yield json.dumps(chunk).encode() + b"\n"
                yield json.dumps({**final, "created_at": _now_iso()}).encode() + b"\n"

            self._send_stream("application/x-ndjson", lines())

        # -- OpenAI ---------------------------------------------------------------------------

        def _openai_chat(self, body: dict[str, Any]) -> None:
            model = body.get("model")
            if model not in fake.served_models:
                error = {
                    "message": f"The model `{model}` does not exist.",
                    "type": "invalid_request_error",
                    "code": "model_not_found",
                }
                self._send_json(404, {"error": error})
                return
            if refused := fake._refusal(body):
                if fake.silent_stream_errors and body.get("stream"):
                    self._send_stream("text/event-stream", iter([]))
                else:
                    error = {"message": refused, "type": "invalid_request_error", "code": 400}
                    self._send_json(400, {"error": error})
                return
            answer = fake._next_answer(body)
            pieces = _pieces(answer)
            prompt_tokens = _count_tokens(body.get("messages"))
            usage = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": len(pieces),
                "total_tokens": prompt_tokens + len(pieces),
            }
            ident = f"chatcmpl-fake{len(fake.requests)}"
            created = int(time.time())
            if not body.get("stream"):
                message = {"role": "assistant", "content": answer}
                self._send_json(
                    200,
                    {
                        "id": ident,
                        "object": "chat.completion",
                        "created": created,
                        "model": model,
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": usage,
                    },
                )
                return
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

            def chunk(choices: list[dict[str, Any]], **extra: object) -> bytes:
                payload = {
                    "id": ident,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": choices,
                    **extra,
                }
                return b"data: " + json.dumps(payload).encode() + b"\n\n"

            def events() -> Iterator[bytes]:
                yield chunk([{"index": 0, "delta": {"role": "assistant", "content": ""},
                              "finish_reason": None}])  # fmt: skip
                for piece in pieces:
                    yield chunk([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
                yield chunk([{"index": 0, "delta": {}, "finish_reason": "stop"}])
                if include_usage:
                    yield chunk([], usage=usage)
                yield b"data: [DONE]\n\n"

            self._send_stream("text/event-stream", events())

    return Handler


def _ollama_tag(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 1_000_000,
        "digest": "0" * 64,
        "details": {
            "format": "gguf",
            "family": "fake",
            "families": ["fake"],
            "parameter_size": "1B",
            "quantization_level": "Q4_0",
        },
    }
