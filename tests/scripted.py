"""A scripted provider built on langchain-core's fake chat model, for graph-logic tests.

It records every prompt (via a real callback handler) so tests can assert what the model
was told, and serves answers per model name so fallback logic can be tested.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from agentfix.errors import ProviderError

FAIL = "__fail__"  # an answer that makes its request fail


def fenced(code: str) -> str:
    return f"Here is the fix:\n```python\n{code}```\n"


@dataclass
class Script:
    answers: dict[str, list[str]]
    prompts: list[tuple[str, list[BaseMessage]]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    fail_check: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: dict[str, int] = field(default_factory=dict)

    def next_answer(self, model: str) -> str:
        with self.lock:
            answers = self.answers[model]
            i = self.served.get(model, 0)
            self.served[model] = i + 1
            return answers[min(i, len(answers) - 1)]


class _Recorder(BaseCallbackHandler):
    def __init__(self, script: Script, model: str) -> None:
        self.script, self.model = script, model

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[BaseMessage]], **kwargs: Any
    ) -> None:
        with self.script.lock:
            self.script.prompts.append((self.model, list(messages[0])))


class ScriptedProvider:
    name = "scripted"
    base_url = "scripted://local"

    def __init__(self, answers: list[str] | dict[str, list[str]], model: str = "m1") -> None:
        script = answers if isinstance(answers, dict) else {model: answers}
        self.script = Script(script)
        self.model = model

    def _answers(self) -> Iterator[AIMessage]:
        while True:
            text = self.script.next_answer(self.model)
            if text == FAIL:
                raise ConnectionError("scripted request failure")
            yield AIMessage(text)

    def chat_model(self, temperature: float, abort: object = None) -> BaseChatModel:
        return GenericFakeChatModel(
            messages=self._answers(), callbacks=[_Recorder(self.script, self.model)]
        )

    def check(self) -> None:
        self.script.checks.append(self.model)
        if self.script.fail_check:
            raise ProviderError(self.script.fail_check)

    def with_model(self, model: str) -> ScriptedProvider:
        other = ScriptedProvider.__new__(ScriptedProvider)
        other.script, other.model = self.script, model
        return other

    def explain(self, exc: BaseException) -> ProviderError:
        return ProviderError(f"scripted failure: {exc}")
