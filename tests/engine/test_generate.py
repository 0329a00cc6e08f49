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
from agentfix.engine.extract import answer_done, extract_code
from agentfix.engine.generate import ask, ask_many


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


class _Talkative:
    """A model whose answer is streamed word by word and counts what was read of it."""

    name, base_url, model = "test", "test://", "m"

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.read = 0

    def chat_model(self, temperature: float, abort: object = None) -> BaseChatModel:
        owner = self

        class Counting(GenericFakeChatModel):
            def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
                for chunk in super()._stream(*args, **kwargs):
                    owner.read += 1
                    yield chunk

        return Counting(messages=iter([AIMessage(self.answer)]))

    def explain(self, exc: Exception) -> Exception:
        return exc


def test_reading_stops_once_the_code_is_complete_and_prose_follows() -> None:
    """After the code block, a small model explains its fix for hundreds of tokens: on a
    CPU that is seconds per answer spent on text nobody reads."""
    code = "def add(a, b):\n    return a + b\n"
    prose = " ".join(["This fixes the bug because addition is what the tests expect."] * 80)
    provider = _Talkative(f"Here is the fix:\n\n```python\n{code}```\n\n{prose}\n")
    answer = ask(provider, [HumanMessage("fix")], 0.0, CancelToken())  # type: ignore[arg-type]
    assert extract_code(answer.text) == code
    words = len(provider.answer.split())
    assert provider.read < words / 3, (provider.read, words)  # most of the prose never read
    assert answer.output_tokens is not None and answer.output_tokens >= provider.read - 8


def test_a_second_block_right_after_the_first_is_still_read() -> None:
    first, second = "def a():\n    return 1\n", "def b():\n    return 2\n"
    text = f"```python\n{first}```\nAnd the helper:\n```python\n{second}```\n" + "ok " * 200
    provider = _Talkative(text)
    answer = ask(provider, [HumanMessage("fix")], 0.0, CancelToken())  # type: ignore[arg-type]
    assert extract_code(answer.text) == f"{first.rstrip()}\n\n{second}"


def test_answer_done_needs_a_closed_python_block_then_prose() -> None:
    block = "```python\ndef f():\n    return 1\n```\n"
    prose = "words " * 80
    assert not answer_done("```python\ndef f():\n    return 1\n")  # still open
    assert not answer_done(block + "short")  # may open another block yet
    assert answer_done(block + prose)
    assert not answer_done("```bash\nls\n```\n" + prose)  # no Python yet
    assert not answer_done(block + prose + "\n```python\ny = 2\n")  # another opened
    # a quoted line of the bug is not the answer's code: read on
    assert not answer_done("The bug is here:\n```python\nfor i in range(n + 1):\n```\n" + prose)


def test_a_helper_block_then_an_explanation_then_the_fix_is_read_whole() -> None:
    helper, main = (
        "def clamp(x):\n    return max(0, x)\n",
        "def scale(x):\n    return clamp(x) * 2\n",
    )
    prose = "This helper keeps values in range, which the function below relies on. " * 3
    text = f"```python\n{helper}```\n{prose}\n```python\n{main}```\n" + "ok " * 200
    provider = _Talkative(text)
    answer = ask(provider, [HumanMessage("fix")], 0.0, CancelToken())  # type: ignore[arg-type]
    assert extract_code(answer.text) == f"{helper.rstrip()}\n\n{main}"
