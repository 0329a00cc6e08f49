"""LLM providers: Ollama (default) and any OpenAI-compatible server."""

from __future__ import annotations

from agentfix.providers.base import Provider
from agentfix.settings import Settings


def make_provider(settings: Settings, model: str | None = None) -> Provider:
    """The provider named in settings, for ``model`` (default: settings.model)."""
    from agentfix.providers.ollama import OllamaProvider
    from agentfix.providers.openai import OpenAIProvider

    cls = OllamaProvider if settings.provider == "ollama" else OpenAIProvider
    return cls(
        model=model or settings.model,
        base_url=settings.resolved_base_url(),
        request_timeout=settings.request_timeout,
    )
