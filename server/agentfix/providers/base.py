"""What the engine needs from a provider, and turning transport failures into clear errors."""

from __future__ import annotations

from typing import Protocol

import httpx
from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError

MAX_ANSWER_TOKENS = 2048
HEALTH_TIMEOUT = 5.0


class Provider(Protocol):
    """A chat model source. ``check`` runs before round 1 and raises ``ProviderError``."""

    name: str
    model: str
    base_url: str

    def chat_model(self, temperature: float) -> BaseChatModel: ...

    def check(self) -> None: ...

    def with_model(self, model: str) -> Provider: ...

    def explain(self, exc: BaseException) -> ProviderError: ...


def get_json(url: str, what: str, start_hint: str, timeout: float = HEALTH_TIMEOUT) -> object:
    """GET a JSON document, mapping every failure to a ``ProviderError`` naming cause and fix."""
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.ConnectError as exc:
        raise ProviderError(f"{what} is not reachable at {url} — {start_hint}") from exc
    except httpx.TimeoutException as exc:
        raise ProviderError(
            f"{what} at {url} did not answer within {timeout:.0f}s — is it overloaded or "
            "still loading? Try again, or raise agentfix.requestTimeout."
        ) from exc
    except httpx.HTTPError as exc:
        raise ProviderError(f"{what} at {url} failed: {exc} — {start_hint}") from exc
    if response.status_code >= 400:
        raise ProviderError(
            f"{what} at {url} answered HTTP {response.status_code}: "
            f"{response.text.strip()[:200]} — check agentfix.baseUrl."
        )
    try:
        return response.json()
    except ValueError as exc:
        raise ProviderError(
            f"{url} did not answer JSON — is agentfix.baseUrl pointing at {what}?"
        ) from exc


def explain_transport(exc: BaseException, what: str, url: str, start_hint: str) -> ProviderError:
    """Map an exception raised while generating to a clear ``ProviderError``."""
    name = type(exc).__name__
    if isinstance(exc, httpx.ConnectError) or "ConnectError" in name or "Connection" in name:
        return ProviderError(f"{what} is not reachable at {url} — {start_hint}")
    if isinstance(exc, httpx.TimeoutException) or "Timeout" in name:
        return ProviderError(
            f"{what} at {url} timed out while generating — raise agentfix.requestTimeout "
            "or use a smaller model."
        )
    return ProviderError(f"{what} at {url} failed while generating: {name}: {exc}")
