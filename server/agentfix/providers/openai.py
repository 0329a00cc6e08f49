"""OpenAI-compatible servers (vLLM, llama.cpp server, LM Studio) through ``ChatOpenAI``."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError
from agentfix.providers.base import MAX_ANSWER_TOKENS, explain_transport, get_json

START_HINT = (
    "start your OpenAI-compatible server (vLLM, llama.cpp, LM Studio) or set agentfix.baseUrl"
)


@dataclass(frozen=True)
class OpenAIProvider:
    model: str
    base_url: str
    request_timeout: float = 120.0
    name: str = "openai"

    def chat_model(self, temperature: float) -> BaseChatModel:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",  # type: ignore[arg-type]
            temperature=temperature,
            max_tokens=MAX_ANSWER_TOKENS,  # type: ignore[call-arg]
            timeout=self.request_timeout,
            max_retries=0,
            stream_usage=True,
        )

    def check(self) -> None:
        data = get_json(f"{self.base_url}/models", "The OpenAI-compatible server", START_HINT)
        models = [m.get("id", "") for m in (data or {}).get("data", [])]  # type: ignore[union-attr]
        if models and self.model not in models:
            raise ProviderError(
                f"model '{self.model}' is not served at {self.base_url} (served: "
                f"{', '.join(models)}) — set agentfix.model to one of them."
            )

    def with_model(self, model: str) -> OpenAIProvider:
        return replace(self, model=model)

    def explain(self, exc: BaseException) -> ProviderError:
        status = getattr(exc, "status_code", None)
        if status == 404:
            return ProviderError(
                f"model '{self.model}' was not found at {self.base_url} — set agentfix.model."
            )
        if status == 401:
            return ProviderError(f"{self.base_url} refused the API key — set OPENAI_API_KEY.")
        return explain_transport(exc, "The OpenAI-compatible server", self.base_url, START_HINT)
