"""What the engine needs from a provider, and turning transport failures into clear errors."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import httpx
from langchain_core.language_models import BaseChatModel

from agentfix.errors import ProviderError
from agentfix.providers.abort import Abort
from agentfix.providers.context import Window

MAX_ANSWER_TOKENS = 2048
CUT = (
    "RemoteProtocolError",
    "ReadError",
    "IncompleteRead",
    "ConnectionResetError",
    "BrokenPipeError",
)
HEALTH_TIMEOUT = 5.0  # to connect: a server that accepts but is busy gets the request timeout


class Provider(Protocol):
    """A chat model source. ``check`` runs before round 1 and raises ``ProviderError``."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    @property
    def base_url(self) -> str: ...

    def chat_model(self, temperature: float, abort: Abort | None = None) -> BaseChatModel:
        """A chat model whose connections ``abort`` can end from another thread."""

    def check(self) -> None: ...

    def with_model(self, model: str) -> Provider: ...

    def explain(self, exc: BaseException) -> ProviderError: ...


@runtime_checkable
class Windowed(Protocol):
    """A provider that knows the server's context window, and (Ollama) sizes it per request."""

    @property
    def num_ctx(self) -> int | None:
        """The window requests ask for (Ollama's ``num_ctx``); None: the server's own."""

    def context_window(self) -> Window:
        """The most tokens one request may take (cached per base URL and model)."""

    def with_window(self, tokens: int) -> Provider:
        """This provider asking for a window of ``tokens`` (no-op where the server fixes it)."""

    def too_big(self, needed: int | None) -> str:
        """The plain "prompt too big" message for a prompt of ``needed`` tokens."""


def get_json(
    url: str,
    what: str,
    start_hint: str,
    wait: float = HEALTH_TIMEOUT,
    body: dict[str, object] | None = None,
) -> object:
    """GET (POST with ``body``) a JSON document, mapping every failure to a ``ProviderError``
    naming cause and fix. Connecting must succeed within ``HEALTH_TIMEOUT``; the answer may
    take ``wait`` seconds: a one-request-at-a-time server (llama.cpp) answers even its model
    list only after the generation it is busy with."""
    timeout = httpx.Timeout(max(wait, HEALTH_TIMEOUT), connect=HEALTH_TIMEOUT)
    try:
        if body is None:
            response = httpx.get(url, timeout=timeout)
        else:
            response = httpx.post(url, json=body, timeout=timeout)
    except httpx.ConnectError as exc:
        raise ProviderError(f"{what} is not reachable at {url} — {start_hint}") from exc
    except httpx.TimeoutException as exc:
        raise ProviderError(
            f"{what} at {url} did not answer within {max(wait, HEALTH_TIMEOUT):.0f}s — is it "
            "overloaded or still loading? Try again, or raise agentfix.requestTimeout."
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


def listed(data: object, key: str, field: str) -> list[str]:
    """``data[key][*][field]`` of a JSON answer (the models a server lists); [] if absent."""
    entries = data.get(key) if isinstance(data, dict) else None
    return [str(e.get(field, "")) for e in entries or [] if isinstance(e, dict)]


def explain_transport(exc: BaseException, what: str, url: str, start_hint: str) -> ProviderError:
    """Map an exception raised while generating to a clear ``ProviderError``: the cause as
    the client libraries report it somewhere in the exception's chain (the OpenAI client
    wraps a cut connection in an "APIConnectionError"), then what to do."""
    chain = _chain(exc)
    names = [type(e).__name__ for e in chain]
    status = next((s for e in chain if isinstance(s := getattr(e, "status_code", None), int)), 0)
    if status >= 500:
        return ProviderError(
            f"{what} at {url} failed to answer (HTTP {status}: {_said(chain)}) — its log says "
            "why (out of memory? a crashed model runner?); try again, or a smaller model."
        )
    if any(n in CUT for n in names):
        return ProviderError(
            f"{what} at {url} closed the connection in the middle of an answer — did it crash "
            "or restart? Its log says why; try again."
        )
    if any(n in ("ConnectError", "ConnectTimeout", "ConnectionRefusedError") for n in names) or (
        "APIConnectionError" in names  # the OpenAI client's name for any of them
    ):
        return ProviderError(f"{what} is not reachable at {url} — {start_hint}")
    if any(isinstance(e, TimeoutError) or "Timeout" in type(e).__name__ for e in chain):
        return ProviderError(
            f"{what} at {url} timed out while generating ({_said(chain)}) — raise "
            "agentfix.requestTimeout, or use a smaller model."
        )
    if any(isinstance(e, ValueError) and "JSON" in type(e).__name__ for e in chain):
        return ProviderError(
            f"{url} answered with something that is not a model server's API (not JSON) — "
            "does agentfix.baseUrl point at your model server, and not at a proxy or another "
            "service?"
        )
    if status >= 400:
        return ProviderError(
            f"{what} at {url} refused the request (HTTP {status}: {_said(chain)}) — check "
            "agentfix.model and agentfix.baseUrl."
        )
    return ProviderError(f"{what} at {url} failed while generating: {names[0]}: {exc}")


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised from, outermost first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _said(chain: list[BaseException]) -> str:
    """What the server said about its failure: the error body, else the exception text."""
    for e in chain:
        body = getattr(e, "body", None)
        if isinstance(body, dict):
            body = body.get("message") or body.get("error") or body
        if body:
            return str(body)[:200]
        error = getattr(e, "error", None)
        if isinstance(error, str) and error:
            return error[:200]
    return str(chain[0])[:200]
