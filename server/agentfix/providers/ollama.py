"""Ollama through langchain-ollama's ``ChatOllama`` (the default provider).

Ollama gives a request the window in ``options.num_ctx`` (default 4096, or what the server
was started with) and silently cuts a longer prompt, instructions and file head first. So
agentfix sends ``num_ctx`` (``with_window``), sized by the engine to the prompt and capped
at the model's ``context_length`` from ``POST /api/show``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx
from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError
from agentfix.providers.abort import Abort
from agentfix.providers.base import (
    HEALTH_TIMEOUT,
    MAX_ANSWER_TOKENS,
    explain_transport,
    get_json,
    listed,
)
from agentfix.providers.context import CACHE, Window, learn_from, too_big

START_HINT = "start it with `ollama serve` or set agentfix.baseUrl"
BIGGER = "use a model with a longer context_length (`ollama show MODEL` prints it)"


@dataclass(frozen=True)
class OllamaProvider:
    model: str
    base_url: str
    request_timeout: float = 120.0
    name: str = "ollama"
    num_ctx: int | None = None  # the window each request asks for; None: the server's default

    def chat_model(self, temperature: float, abort: Abort | None = None) -> BaseChatModel:
        from langchain_ollama import ChatOllama

        transport = abort.httpx_transport(self.base_url) if abort else None

        return ChatOllama(
            model=self.model,
            base_url=self.base_url,
            temperature=temperature,
            num_predict=MAX_ANSWER_TOKENS,
            num_ctx=self.num_ctx,
            client_kwargs={"timeout": httpx.Timeout(self.request_timeout, connect=HEALTH_TIMEOUT)},
            sync_client_kwargs={"transport": transport} if transport else {},
        )

    def check(self) -> None:
        if CACHE.checked_recently(self.name, self.base_url, self.model):
            return
        data = get_json(f"{self.base_url}/api/tags", "Ollama", START_HINT, self.request_timeout)
        models = listed(data, "models", "name")
        if not any(_same_model(self.model, name) for name in models):
            have = ", ".join(models) or "none"
            raise ProviderError(
                f"model '{self.model}' is not available on the Ollama server at "
                f"{self.base_url} — run `ollama pull {self.model}` (available: {have})."
            )
        CACHE.checked(self.name, self.base_url, self.model)

    def context_window(self) -> Window:
        """The model's ``<arch>.context_length`` from ``/api/show`` (cached; never raises)."""
        if known := CACHE.window(self.base_url, self.model):
            return known
        try:
            data = get_json(f"{self.base_url}/api/show", "Ollama", START_HINT,
                            self.request_timeout, body={"model": self.model})  # fmt: skip
        except ProviderError:
            return Window(None)  # not cached: the next fix asks again
        return CACHE.set_window(self.base_url, self.model, _show_window(data))

    def with_window(self, tokens: int) -> OllamaProvider:
        return replace(self, num_ctx=tokens)

    def too_big(self, needed: int | None) -> str:
        window = self.context_window().tokens
        return too_big(self.model, self.base_url, needed, window, BIGGER)

    def with_model(self, model: str) -> OllamaProvider:
        return replace(self, model=model)

    def explain(self, exc: BaseException) -> ProviderError:
        if found := learn_from(exc, self.base_url, self.model):
            return ProviderError(
                too_big(self.model, self.base_url, found.prompt_tokens, found.window, BIGGER)
            )
        status = getattr(exc, "status_code", None)
        if status == 404:
            return ProviderError(
                f"model '{self.model}' is not available at {self.base_url} — "
                f"run `ollama pull {self.model}`."
            )
        return explain_transport(exc, "Ollama", self.base_url, START_HINT)


def _show_window(data: object) -> Window:
    """``model_info["<general.architecture>.context_length"]`` of an ``/api/show`` answer."""
    info = data.get("model_info") if isinstance(data, dict) else None
    if not isinstance(info, dict):
        return Window(None, "/api/show has no model_info")
    arch = info.get("general.architecture")
    keys = [f"{arch}.context_length"] if arch else []
    keys += sorted(k for k in info if k.endswith(".context_length"))
    for key in keys:
        value = info.get(key)
        if isinstance(value, int) and value > 0:
            return Window(value, f"/api/show {key}")
    return Window(None, "/api/show has no context_length")


def _same_model(wanted: str, served: str) -> bool:
    """Ollama names: 'qwen2.5-coder' means 'qwen2.5-coder:latest'."""
    if wanted == served:
        return True
    if ":" not in wanted:
        return served == f"{wanted}:latest"
    return False
