"""No message can kill or deafen the language server, and every request is answered.

``agentfix serve`` runs as an editor starts it (stdio). Framing attacks — absurd, too
short and too long ``Content-Length`` values, junk between messages — are each followed
by a valid request that must be answered; then 10,000 well-framed but fuzzed messages
(wrong ``jsonrpc``, invalid or missing params, negative positions, string params, bad ids,
a second ``initialize``, unknown methods) where every request must get a response; then
requests after ``shutdown`` get errors, and ``exit`` ends the server with status 0.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

FUZZ_MESSAGES = int(os.environ.get("AGENTFIX_FUZZ_MESSAGES", "10000"))


def frame(body: bytes, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    return b"Content-Length: " + str(size).encode() + b"\r\n\r\n" + body


def message(payload: dict[str, Any]) -> bytes:
    return frame(json.dumps(payload).encode())


class Server:
    """``agentfix serve`` on pipes; a thread collects the ids of the responses."""

    def __init__(self, cwd: Path) -> None:
        # a fix the fuzz starts by accident must fail fast, never reach a real model
        env = {**os.environ, "AGENTFIX_BASE_URL": "http://127.0.0.1:9", "AGENTFIX_TIMEOUT": "5"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentfix", "serve"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.answered: dict[Any, dict[str, Any]] = {}
        self.shown = 0  # window/showMessage notifications (pop-ups)
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for _ in iter(lambda: self.proc.stderr.read(65536), b""):  # type: ignore[union-attr]
            pass

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
                if line == b"\r\n" and length is not None:
                    break
            data = json.loads(out.read(length))
            with self.lock:
                if "method" not in data and "id" in data:
                    self.answered[json.dumps(data["id"])] = data
                elif data.get("method") == "window/showMessage":
                    self.shown += 1

    def send(self, raw: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(raw)
        self.proc.stdin.flush()

    def wait_for(self, ids: set[Any], timeout: float = 120.0) -> set[Any]:
        """The ids still unanswered after waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                missing = {i for i in ids if json.dumps(i) not in self.answered}
            if not missing or self.proc.poll() is not None or time.monotonic() > deadline:
                return missing
            time.sleep(0.05)

    def answer(self, msg_id: Any) -> dict[str, Any]:
        with self.lock:
            return self.answered[json.dumps(msg_id)]


def request(msg_id: Any, method: str, params: Any = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
    if params is not None:
        payload["params"] = params
    return payload


def code_action(msg_id: Any, uri: str, line: int = 0) -> dict[str, Any]:
    return request(
        msg_id,
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {
                "start": {"line": line, "character": 0},
                "end": {"line": line, "character": 1},
            },
            "context": {"diagnostics": []},
        },
    )


def fuzzed(rng: random.Random, n: int, uri: str) -> tuple[dict[str, Any] | list[Any], bool]:
    """A message, and whether it is a request that must be answered (it has a usable id)."""
    msg_id = f"f{n}"
    kind = rng.randrange(12)
    if kind == 0:
        return {**code_action(msg_id, uri), "jsonrpc": rng.choice(["1.0", None, 2])}, True
    if kind == 1:
        return code_action(msg_id, uri, line=-rng.randrange(1, 10**9)), True
    if kind == 2:
        payload = code_action(msg_id, uri)
        del payload["params"][rng.choice(["range", "context", "textDocument"])]
        return payload, True
    if kind == 3:
        return request(msg_id, "textDocument/codeAction", rng.choice(["x", 5, None, [1]])), True
    if kind == 4:
        return request(msg_id, rng.choice(["nope/method", "textDocument/hover", ""]), {}), True
    if kind == 5:
        args = rng.choice([[], [1, 2], [{"uri": 5}], ["file:///etc/hostname"], None])
        return request(msg_id, "workspace/executeCommand", {"command": "agentfix.fix",
                                                            "arguments": args}), True  # fmt: skip
    if kind == 6:
        return request(msg_id, "initialize", {"capabilities": {}, "processId": None}), True
    if kind == 7:  # notifications: nothing to answer
        return {"jsonrpc": "2.0", "method": rng.choice(["$/cancelRequest", "nope"]),
                "params": rng.choice([{}, {"id": "x"}, {"id": None}])}, False  # fmt: skip
    if kind == 8:
        return rng.choice([[], [1, 2], "text", 42, None]), False  # not an object: id unknown
    if kind == 9:  # an id of the wrong type: answered with id null
        return {**code_action(msg_id, uri), "id": rng.choice([1.5, True, [1], {"a": 1}])}, False
    if kind == 10:
        return {"jsonrpc": "2.0", "id": msg_id, "result": None}, False  # a stray response
    return code_action(msg_id, uri, line=rng.randrange(0, 50)), True


def send_fuzzed(server: Server, rng: random.Random, count: int, uri: str) -> set[Any]:
    """Send ``count`` fuzzed messages in batches; the ids of the requests to be answered."""
    must_answer: set[Any] = set()
    batch: list[bytes] = []
    for n in range(count):
        payload, answered = fuzzed(rng, n, uri)
        batch.append(message(payload))  # type: ignore[arg-type]
        if answered:
            must_answer.add(f"f{n}")
        if len(batch) == 200:
            server.send(b"".join(batch))
            batch = []
    server.send(b"".join(batch))
    return must_answer


def test_no_message_kills_or_deafens_the_server(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("def f(x):\n    return x + 1\n")
    uri = source.as_uri()
    server = Server(tmp_path)
    try:
        server.send(message(request(0, "initialize", {"capabilities": {}, "processId": None})))
        server.send(message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        open_doc = {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                     "text": source.read_text()}}  # fmt: skip
        server.send(message({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                             "params": open_doc}))  # fmt: skip
        assert server.wait_for({0}) == set()

        # framing attacks, each followed by a request that must still be answered
        attacks = [
            b"Content-Length: 99999999999999999999999999\r\n\r\n{}",
            b"Content-Length: 999999999999\r\n\r\n{}",
            frame(json.dumps(code_action("cut", uri)).encode(), length=20),  # too short
            frame(json.dumps(code_action("long", uri)).encode(), length=400),  # too long
            b"garbage without any header\r\n\r\n",
            b"Content-Length: -5\r\n\r\n",
            b"Content-Type: text/plain\r\n\r\n",
            frame(b"{not json"),
            frame(b"\xff\xfe\x00binary"),
            frame(b"[" * 100_000),  # deep nesting
        ]
        for n, attack in enumerate(attacks):
            server.send(attack)
            server.send(message(code_action(f"after-{n}", uri)))
        survivors = {f"after-{n}" for n in range(len(attacks))}
        assert server.wait_for(survivors) == set(), "deaf after a framing attack"

        must_answer = send_fuzzed(server, random.Random(20261130), FUZZ_MESSAGES, uri)
        missing = server.wait_for(must_answer, timeout=300)
        assert missing == set(), f"{len(missing)} of {len(must_answer)} requests unanswered"
        assert server.proc.poll() is None, "the server died"
        assert server.shown <= 5, f"{server.shown} pop-ups for malformed input"

        server.send(message(request("bye", "shutdown")))
        assert server.wait_for({"bye"}) == set()
        after = {f"late-{n}" for n in range(5)}
        for msg_id in sorted(after):
            server.send(message(code_action(msg_id, uri)))
        assert server.wait_for(after) == set()
        assert all("error" in server.answer(i) for i in after)
        server.send(message({"jsonrpc": "2.0", "method": "exit"}))
        assert server.proc.wait(timeout=30) == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
