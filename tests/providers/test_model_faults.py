"""A model server that fails: every request can be ended within a second, a request is
timed as a whole, and each failure is named for what it is.

The fake servers fail as real ones do (see ``tests/fake_llm.py``): headers and then nothing,
an endless trickle of tokens, HTTP 500, a body that is not the API's, a cut connection.
The real Ollama and OpenAI client libraries talk to them.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from langchain_core.messages import BaseMessage, HumanMessage

from agentfix.cancel import CancelToken
from agentfix.engine.generate import ask, ask_many
from agentfix.providers.base import Provider
from agentfix.providers.ollama import OllamaProvider
from agentfix.providers.openai import OpenAIProvider
from fake_llm import FakeLLM, Fault

PROMPT: list[BaseMessage] = [HumanMessage("fix it")]
REQUEST_TIMEOUT = 60.0


def provider_for(kind: str, llm: FakeLLM, request_timeout: float = REQUEST_TIMEOUT) -> Provider:
    if kind == "ollama":
        return OllamaProvider(llm.model, llm.url, request_timeout)
    return OpenAIProvider(llm.model, llm.url + "/v1", request_timeout)


def chats(llm: FakeLLM) -> list[tuple[str, str]]:
    return [hit for hit in llm.hits if hit[1] in ("/api/chat", "/v1/chat/completions")]


def wait_for(condition: object, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_cancel_ends_requests_a_quiet_server_holds_and_the_server_sees_them_go(kind: str) -> None:
    """Headers, then nothing: before, the reading threads (and Ctrl-C, and the editor's
    next fix) waited for the request timeout; now they are free as soon as it is cancelled,
    and the server sees the client leave (so it stops generating)."""
    with FakeLLM(["unused"], fault=Fault.STALL) as llm:
        token = CancelToken()
        pool = ThreadPoolExecutor(2)
        box: list[object] = []
        asking = threading.Thread(
            target=lambda: box.append(
                ask_many(pool, provider_for(kind, llm), [(PROMPT, 0.1), (PROMPT, 0.5)], token)
            )
        )
        asking.start()
        assert wait_for(lambda: len(chats(llm)) == 2), "the requests never reached the server"
        cancelled = time.monotonic()
        token.cancel()
        asking.join()
        pool.shutdown(wait=True)  # the worker threads are free again
        freed = time.monotonic() - cancelled
        assert box == [[None, None]]
        assert freed < REQUEST_TIMEOUT / 20, f"threads were held {freed:.1f}s after cancel"
        assert wait_for(lambda: len(llm.client_left) == 2), "the server never saw them go"


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_the_request_timeout_counts_the_whole_answer_not_each_read(kind: str) -> None:
    """A model that loops sends a token every 0.2 s forever: no read ever waits long, so a
    per-read timeout never fires; the whole request is ended at the request timeout."""
    with FakeLLM(["unused"], fault=Fault.TRICKLE) as llm:
        token = CancelToken()
        with ThreadPoolExecutor(1) as pool:
            started = time.monotonic()
            [answer] = ask_many(pool, provider_for(kind, llm, 1.0), [(PROMPT, 0.1)], token,
                                request_timeout=1.0)  # fmt: skip
        took = time.monotonic() - started
        assert answer is not None and answer.error is not None
        assert "timed out while generating (no complete answer within 1s)" in answer.error
        assert "raise agentfix.requestTimeout" in answer.error
        assert took < REQUEST_TIMEOUT / 4
        assert wait_for(lambda: len(llm.client_left) == 1)


FAILURES = {
    Fault.HTTP_500: ["failed to answer (HTTP 500: llama runner process has terminated",
                     "its log says why"],
    Fault.GARBAGE: ["is not a model server's API (not JSON)", "agentfix.baseUrl"],
    Fault.DROP: ["closed the connection in the middle of an answer", "crash or restart"],
}  # fmt: skip


@pytest.mark.parametrize("kind", ["ollama", "openai"])
@pytest.mark.parametrize("fault", list(FAILURES), ids=lambda f: f.value)
def test_each_server_failure_is_named_for_what_it_is(kind: str, fault: Fault) -> None:
    """Before: "not reachable — start your server" for a cut stream, a raw exception for
    HTTP 500 and for a body that is not JSON."""
    with FakeLLM(["unused"], fault=fault) as llm:
        answer = ask(provider_for(kind, llm), PROMPT, 0.1, CancelToken())
    assert answer.error is not None
    for words in FAILURES[fault]:
        assert words in answer.error
    assert "not reachable" not in answer.error and "Error:" not in answer.error


def test_requests_a_proxy_serves_keep_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx ignores the environment's proxies once a transport is given: a request to a
    server reached through a proxy keeps the library's own transport (and the proxy)."""
    from agentfix.providers.abort import Abort

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert Abort().httpx_transport("http://gpu-box.example:11434") is None
    assert Abort().httpx_transport("http://127.0.0.1:11434") is not None
