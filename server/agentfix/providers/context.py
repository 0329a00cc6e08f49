"""Context windows: how many tokens a prompt takes, how large a window the server gives, and
what a server says when a prompt does not fit.

No tokenizer covers every local model offline, so prompts are measured in characters:
``CHARS_PER_TOKEN`` = 3 over-counts the tokens of Python code (Qwen's and Llama's tokenizers
take 3.5 to 4 characters per token of code), so a window sized from it holds the prompt.
Ollama's ``prompt_eval_count`` (each answer's ``prompt_tokens``) shows the real count in
the trace. What a server says about its window is cached per (base URL, model) for the
process, and a recent successful health check is trusted for ``HEALTH_TTL`` seconds: a
one-request-at-a-time server that is busy generating must not fail the next fix's check.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

CHARS_PER_TOKEN = 3.0
MESSAGE_TOKENS = 8  # chat-template tokens around each message (role markers, separators)
MIN_WINDOW = 4096  # Ollama's own default: smaller windows save nothing worth a reload
HEALTH_TTL = 300.0  # seconds a successful health check of one server and model is trusted
PROMPT_TOO_BIG = "prompt too big"  # how every such message starts (see ``is_prompt_too_big``)


def estimate_tokens(texts: Iterable[str]) -> int:
    """Tokens the messages ``texts`` take at most (see the module docstring)."""
    return sum(math.ceil(len(text) / CHARS_PER_TOKEN) + MESSAGE_TOKENS for text in texts)


def stable_window(tokens: int, maximum: int | None = None) -> int:
    """The smallest power of two from 4096 up that holds ``tokens``, never above ``maximum``.

    Ollama reloads the model whenever ``num_ctx`` changes, so windows come in few sizes."""
    size = MIN_WINDOW
    while size < tokens:
        size *= 2
    return min(size, maximum) if maximum else size


@dataclass(frozen=True)
class Window:
    """The most tokens (prompt and answer) one request may take, and who said so."""

    tokens: int | None  # None: the server does not say
    source: str = "unknown"

    def describe(self) -> str:
        return f"{self.tokens} tokens ({self.source})" if self.tokens else "not told by the server"


@dataclass(frozen=True)
class Overflow:
    """A server's refusal of a prompt longer than its window, with what it said of both."""

    prompt_tokens: int | None
    window: int | None


_OVERFLOW = re.compile(
    r"exceed(?:s|ed)? (?:the )?(?:context window|available context size)"
    r"|context_length_exceeded|maximum context length|exceed_context_size_error"
    r"|prompt is too long|input length exceeds",
    re.IGNORECASE,
)
_WINDOW = (
    re.compile(r"context window of (\d+)"),  # llama-cpp-python
    re.compile(r"['\"]n_ctx['\"]\s*:\s*(\d+)"),  # llama.cpp server's error body
    re.compile(r"available context size \((\d+) tokens\)"),  # llama.cpp server
    re.compile(r"maximum context length is (\d+)"),  # OpenAI, vLLM
)
_PROMPT = (
    re.compile(r"Requested tokens \((\d+)\)"),  # llama-cpp-python
    re.compile(r"['\"]n_prompt_tokens['\"]\s*:\s*(\d+)"),  # llama.cpp server
    re.compile(r"request \((\d+) tokens\)"),  # llama.cpp server
    re.compile(r"(?:messages resulted in|you requested) (\d+) tokens"),  # OpenAI, vLLM
)


def overflow(exc: BaseException) -> Overflow | None:
    """What a context-overflow error says (llama-cpp-python "Requested tokens (N) exceed
    context window of M", llama.cpp's exceed_context_size_error, OpenAI's
    context_length_exceeded, vLLM's "maximum context length"); None for any other error."""
    text = f"{exc} {getattr(exc, 'body', '') or ''} {getattr(exc, 'error', '') or ''}"
    if not _OVERFLOW.search(text):
        return None
    return Overflow(_first_number(_PROMPT, text), _first_number(_WINDOW, text))


def _first_number(patterns: Iterable[re.Pattern[str]], text: str) -> int | None:
    for pattern in patterns:
        if found := pattern.search(text):
            return int(found.group(1))
    return None


def too_big(model: str, url: str, needed: int | None, window: int | None, fix: str) -> str:
    """The plain statement of a prompt that does not fit: cause, then what to do."""
    need = f"~{needed} tokens" if needed else "more tokens than the window holds"
    has = f"a window of {window} tokens" if window else "a smaller window"
    return (
        f"{PROMPT_TOO_BIG}: the prompt needs {need} (the answer included) but {model} at "
        f"{url} has {has} — {fix}, or fix a smaller file (split the module)."
    )


def is_prompt_too_big(message: str | None) -> bool:
    """Whether an error message says the prompt did not fit (see ``too_big``)."""
    return message is not None and message.startswith(PROMPT_TOO_BIG)


class _Cache:
    """Windows and health checks per (base URL, model), shared by the threads of a process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[tuple[str, str], Window] = {}
        self._checked: dict[tuple[str, str, str], float] = {}

    def window(self, url: str, model: str) -> Window | None:
        with self._lock:
            return self._windows.get((url, model))

    def set_window(self, url: str, model: str, window: Window) -> Window:
        with self._lock:
            known = self._windows.get((url, model))
            if known and known.tokens and window.tokens and known.tokens < window.tokens:
                return known  # a refusal taught a smaller window: the lookup must not undo it
            self._windows[(url, model)] = window
            return window

    def checked_recently(self, provider: str, url: str, model: str) -> bool:
        with self._lock:
            when = self._checked.get((provider, url, model))
        return when is not None and time.monotonic() - when < HEALTH_TTL

    def checked(self, provider: str, url: str, model: str) -> None:
        with self._lock:
            self._checked[(provider, url, model)] = time.monotonic()

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()
            self._checked.clear()


CACHE = _Cache()


def learn_from(exc: BaseException, url: str, model: str) -> Overflow | None:
    """Parse a context-overflow error, remembering the window it names for later requests."""
    found = overflow(exc)
    if found and found.window:
        CACHE.set_window(url, model, Window(found.window, "the server's refusal"))
    return found
