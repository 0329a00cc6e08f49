"""Ollama through langchain-ollama's ``ChatOllama`` (the default provider)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError
from agentfix.providers.base import MAX_ANSWER_TOKENS, explain_transport, get_json

START_HINT = "start it with `ollama serve` or set agentfix.baseUrl"


@dataclass(frozen=True)
class OllamaProvider:
    model: str
    base_url: str
    request_timeout: float = 120.0
    name: str = "ollama"

    def chat_model(self, temperature: float) -> BaseChatModel:
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=self.model,
            base_url=self.base_url,
            temperature=temperature,
            num_predict=MAX_ANSWER_TOKENS,
            client_kwargs={"timeout": self.request_timeout},
        )

    def check(self) -> None:
        data = get_json(f"{self.base_url}/api/tags", "Ollama", START_HINT)
        models = [m.get("name", "") for m in (data or {}).get("models", [])]  # type: ignore[union-attr]
        if not any(_same_model(self.model, name) for name in models):
            have = ", ".join(models) or "none"
            raise ProviderError(
                f"model '{self.model}' is not available on the Ollama server at "
                f"{self.base_url} — run `ollama pull {self.model}` (available: {have})."
            )

    def with_model(self, model: str) -> OllamaProvider:
        return replace(self, model=model)

    def explain(self, exc: BaseException) -> ProviderError:
        status = getattr(exc, "status_code", None)
        if status == 404:
            return ProviderError(
                f"model '{self.model}' is not available at {self.base_url} — "
                f"run `ollama pull {self.model}`."
            )
        return explain_transport(exc, "Ollama", self.base_url, START_HINT)


def _same_model(wanted: str, served: str) -> bool:
    """Ollama names: 'qwen2.5-coder' means 'qwen2.5-coder:latest'."""
    if wanted == served:
        return True
    if ":" not in wanted:
        return served == f"{wanted}:latest"
    return False
