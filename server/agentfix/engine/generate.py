"""Ask the model for a batch of candidates, streaming so a cancel stops generation mid-answer.

Every request can be ended from outside (``Abort``): on cancel or when the fix's budget
runs out all of them are, and one that runs past the request timeout, counted over the
whole request and not per read, is ended alone. The threads reading them then return
within milliseconds, so nothing waits for a server that went quiet.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor, wait

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from agentfix.cancel import CancelToken
from agentfix.engine.candidate import Answer
from agentfix.engine.extract import answer_done
from agentfix.providers.abort import Abort
from agentfix.providers.base import Provider


def ask(
    provider: Provider,
    messages: list[BaseMessage],
    temperature: float,
    token: CancelToken,
    abort: Abort | None = None,
) -> Answer:
    """Stream one answer; stops reading (closing the connection) once the token stops."""
    abort = abort or Abort()
    try:
        return _streamed(provider, messages, temperature, token, abort)
    finally:
        abort.close()


def _streamed(
    provider: Provider,
    messages: list[BaseMessage],
    temperature: float,
    token: CancelToken,
    abort: Abort,
) -> Answer:
    start = time.monotonic()
    first: float | None = None
    parts: list[str] = []
    usage: dict[str, int] = {}
    done_early = False
    model = provider.chat_model(temperature, abort)
    stream = model.stream(messages)
    try:
        for chunk in stream:
            if token.stopped:
                break
            abort.answering()
            text = chunk.content if isinstance(chunk.content, str) else str(chunk.content)
            if text and first is None:
                first = time.monotonic() - start
            parts.append(text)
            meta = getattr(chunk, "usage_metadata", None)
            if meta:
                usage = dict(meta)
            if len(parts) % 8 == 0 and answer_done("".join(parts)):
                done_early = True  # the code is complete: the rest is prose
                break  # (closing the stream below stops the server generating it)
    except Exception as exc:
        # langchain's "No generation chunks": the server sent an empty stream
        if abort.reason is None and not parts and "No generation chunks" in str(exc):
            return _ask_unstreamed(provider, model, messages, temperature, start, abort)
        error = str(provider.explain(abort.cause(exc)))
        return Answer("".join(parts), provider.model, temperature, time.monotonic() - start,
                      first, error=error)  # fmt: skip
    finally:
        if isinstance(stream, Generator):
            stream.close()  # closes the connection: the server stops generating
    if abort.reason is not None and not token.stopped and not "".join(parts):
        return Answer("", provider.model, temperature, time.monotonic() - start, first,
                      error=str(provider.explain(TimeoutError(abort.reason))))  # fmt: skip
    if not token.stopped and not "".join(parts) and not usage.get("output_tokens"):
        return _ask_unstreamed(provider, model, messages, temperature, start, abort)
    if done_early and not usage.get("output_tokens"):  # the server's count comes last
        usage["output_tokens"] = len(parts)  # one streamed chunk is one token (Ollama, llama.cpp)
    return Answer(
        "".join(parts),
        provider.model,
        temperature,
        time.monotonic() - start,
        first,
        usage.get("input_tokens"),
        usage.get("output_tokens"),
    )


def _ask_unstreamed(
    provider: Provider,
    model: BaseChatModel,
    messages: list[BaseMessage],
    temperature: float,
    start: float,
    abort: Abort,
) -> Answer:
    """Ask once more without streaming after an empty streamed answer: a server that fails
    a streamed request after sending its headers (llama-cpp-python, on a prompt longer than
    its window) ends the stream empty, and only an unstreamed request gets its error. The
    server may close the aborted stream's connection late, so a pooled client can pick it:
    a connection error is tried once more, on a new connection."""
    for attempt in (1, 2):
        try:
            reply = model.invoke(messages, stream=False)  # ChatOllama streams unless told
            break
        except Exception as exc:
            if abort.reason is None and attempt == 1 and "Connection" in type(exc).__name__:
                continue
            return Answer("", provider.model, temperature, time.monotonic() - start,
                          error=str(provider.explain(abort.cause(exc))))  # fmt: skip
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    usage = getattr(reply, "usage_metadata", None) or {}
    seconds = time.monotonic() - start
    return Answer(text, provider.model, temperature, seconds, seconds,
                  usage.get("input_tokens"), usage.get("output_tokens"))  # fmt: skip


def ask_many(
    pool: ThreadPoolExecutor,
    provider: Provider,
    prompts: list[tuple[list[BaseMessage], float]],
    token: CancelToken,
    parallel: int = 0,
    request_timeout: float | None = None,
) -> list[Answer | None]:
    """Run up to ``parallel`` requests at once (0: all); one entry per prompt, in order. An
    answer streaming longer than ``request_timeout`` is ended with an error answer (the
    wait for its first chunk is bounded per read by the client's own timeout). On
    cancel, end every request and return at once: None for one not started or not done."""
    gate = threading.Semaphore(parallel or len(prompts) or 1)
    aborts = [Abort() for _ in prompts]

    def gated(index: int, messages: list[BaseMessage], temp: float) -> Answer | None:
        with gate:
            if token.stopped:
                return None
            return ask(provider, messages, temp, token, aborts[index])

    futures: list[Future[Answer | None]] = [
        pool.submit(gated, i, m, t) for i, (m, t) in enumerate(prompts)
    ]
    pending = set(futures)
    while pending and not token.stopped:
        _, pending = wait(pending, timeout=0.1)
        if request_timeout is not None:  # counted from the first chunk: not the queue's wait
            now = time.monotonic()
            for abort in aborts:
                since = abort.answering_since
                if since is not None and now - since > request_timeout:
                    abort.abort(f"no complete answer within {request_timeout:.0f}s")
    if token.stopped:
        for abort in aborts:
            abort.abort(token.reason or "stopped")
    answers = [f.result() if f.done() and not f.cancelled() else None for f in futures]
    if token.stopped:  # a request the stop cut short failed because of it, not the server
        return [a if a is not None and a.error is None else None for a in answers]
    return answers
