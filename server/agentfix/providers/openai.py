"""OpenAI-compatible servers (vLLM, llama.cpp server, LM Studio) through ``ChatOpenAI``.

Their window is fixed when the server starts; agentfix reads it where the server tells it
(llama.cpp: ``GET /props`` ``default_generation_settings.n_ctx``, or ``/v1/models``
``meta.n_ctx`` / ``meta.n_ctx_train``; vLLM: ``/v1/models`` ``max_model_len``) so a prompt
that cannot fit is narrowed or refused before it is sent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError
from agentfix.providers.abort import Abort
from agentfix.providers.base import (
    MAX_ANSWER_TOKENS,
    explain_transport,
    get_json,
    listed,
)
from agentfix.providers.context import CACHE, Window, learn_from, too_big

START_HINT = (
    "start your OpenAI-compatible server (vLLM, llama.cpp, LM Studio) or set agentfix.baseUrl"
)
WHAT = "The OpenAI-compatible server"
BIGGER = "start the server with a larger context (llama.cpp: --ctx-size; vLLM: --max-model-len)"


@dataclass(frozen=True)
class OpenAIProvider:
    model: str
    base_url: str
    request_timeout: float = 120.0
    name: str = "openai"

    def chat_model(self, temperature: float, abort: Abort | None = None) -> BaseChatModel:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",  # type: ignore[arg-type]
            temperature=temperature,
            max_tokens=MAX_ANSWER_TOKENS,  # type: ignore[call-arg]
            timeout=self.request_timeout,
            max_retries=0,
            http_client=_http_client(abort, self.base_url) if abort else None,
            stream_usage=True,
        )

    def check(self) -> None:
        if CACHE.checked_recently(self.name, self.base_url, self.model):
            return
        data = get_json(f"{self.base_url}/models", WHAT, START_HINT, self.request_timeout)
        models = listed(data, "data", "id")
        if models and self.model not in models:
            raise ProviderError(
                f"model '{self.model}' is not served at {self.base_url} (served: "
                f"{', '.join(models)}) — set agentfix.model to one of them."
            )
        CACHE.checked(self.name, self.base_url, self.model)

    def context_window(self) -> Window:
        """The window one request gets, as the server states it (cached; never raises)."""
        if known := CACHE.window(self.base_url, self.model):
            return known
        root = self.base_url.rstrip("/").removesuffix("/v1")
        found = _props_window(self._lookup(f"{root}/props"))
        if found.tokens is None:
            found = _models_window(self._lookup(f"{self.base_url}/models"), self.model)
        return CACHE.set_window(self.base_url, self.model, found)

    def _lookup(self, url: str) -> object:
        try:
            return get_json(url, WHAT, START_HINT, self.request_timeout)
        except ProviderError:
            return None

    @property
    def num_ctx(self) -> int | None:
        """The server's own window: an OpenAI request cannot ask for one."""
        return None

    def with_window(self, tokens: int) -> OpenAIProvider:
        """The server's window is fixed when it starts: nothing to ask for."""
        return self

    def too_big(self, needed: int | None) -> str:
        window = self.context_window().tokens
        return too_big(self.model, self.base_url, needed, window, BIGGER)

    def with_model(self, model: str) -> OpenAIProvider:
        return replace(self, model=model)

    def explain(self, exc: BaseException) -> ProviderError:
        if found := learn_from(exc, self.base_url, self.model):
            return ProviderError(
                too_big(self.model, self.base_url, found.prompt_tokens, found.window, BIGGER)
            )
        status = getattr(exc, "status_code", None)
        if status == 404:
            return ProviderError(
                f"model '{self.model}' was not found at {self.base_url} — set agentfix.model."
            )
        if status == 401:
            return ProviderError(f"{self.base_url} refused the API key — set OPENAI_API_KEY.")
        return explain_transport(exc, WHAT, self.base_url, START_HINT)


def _http_client(abort: Abort, url: str) -> Any:
    """The OpenAI SDK's own client class (its defaults) on a transport ``abort`` can end:
    httpx2's for SDKs built on httpx2, httpx's for older ones."""
    from openai import DefaultHttpxClient

    try:
        import httpx2

        modern = issubclass(DefaultHttpxClient, httpx2.Client)
    except ImportError:
        modern = False
    transport = abort.httpx2_transport(url) if modern else abort.httpx_transport(url)
    return DefaultHttpxClient(transport=transport) if transport is not None else None


def _props_window(data: object) -> Window:
    """llama.cpp's ``/props``: ``default_generation_settings.n_ctx``, one slot's window."""
    settings = data.get("default_generation_settings") if isinstance(data, dict) else None
    n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
    if isinstance(n_ctx, int) and n_ctx > 0:
        return Window(n_ctx, "/props default_generation_settings.n_ctx")
    return Window(None)


def _models_window(data: object, model: str) -> Window:
    """The model's entry in ``/v1/models``: llama.cpp's ``meta.n_ctx`` (the server's window)
    or ``meta.n_ctx_train`` (the model's; the server's may be smaller), vLLM's
    ``max_model_len``."""
    entries = data.get("data") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("id") != model:
            continue
        meta = entry.get("meta")
        meta = meta if isinstance(meta, dict) else {}
        for where, key in ((meta, "n_ctx"), (entry, "max_model_len"), (meta, "n_ctx_train")):
            value = where.get(key)
            if isinstance(value, int) and value > 0:
                prefix = "meta." if where is meta else ""
                return Window(value, f"/v1/models {prefix}{key}")
    return Window(None, "not stated by /props or /v1/models")
