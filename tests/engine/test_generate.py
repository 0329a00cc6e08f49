"""Asking for a batch: a cancelled batch keeps each finished answer paired with its prompt."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGenerationChunk

from agentfix.cancel import CancelToken
from agentfix.engine.generate import ask_many


class _Stalled(GenericFakeChatModel):
    """A model that sends nothing until released (a slow server mid-prompt)."""

    release: Any = None

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        self.release.wait(10)
        yield ChatGenerationChunk(message=AIMessageChunk(content="late"))


class _FirstStalls:
    name, base_url, model = "test", "test://", "m"

    def __init__(self) -> None:
        self.release = threading.Event()

    def chat_model(self, temperature: float, abort: object = None) -> BaseChatModel:
        if temperature == 0.0:
            return _Stalled(messages=iter([AIMessage("late")]), release=self.release)
        return GenericFakeChatModel(messages=iter([AIMessage(f"answer at {temperature}")]))

    def explain(self, exc: Exception) -> Exception:
        return exc


def test_cancel_returns_finished_answers_in_their_prompts_places() -> None:
    provider = _FirstStalls()
    prompt: list[BaseMessage] = [HumanMessage("fix it")]
    token = CancelToken(60)
    timer = threading.Timer(1.0, token.cancel)
    timer.start()
    with ThreadPoolExecutor(3) as pool:
        try:
            replies = ask_many(pool, provider, [(prompt, 0.0), (prompt, 0.5), (prompt, 0.7)],
                               token)  # type: ignore[arg-type]  # fmt: skip
        finally:
            provider.release.set()
    assert replies[0] is None  # still waiting for its first token when cancelled
    assert [r.text if r else None for r in replies[1:]] == ["answer at 0.5", "answer at 0.7"]


def test_a_batch_not_started_before_cancel_has_no_answers() -> None:
    provider = _FirstStalls()
    token = CancelToken(60)
    token.cancel()
    with ThreadPoolExecutor(2) as pool:
        replies = ask_many(pool, provider, [([HumanMessage("x")], 0.5)] * 2, token, parallel=1)  # type: ignore[arg-type]
    assert replies == [None, None]
