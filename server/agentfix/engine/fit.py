"""Prompts that fit the model's context window.

A prompt longer than the window is refused (llama.cpp, vLLM) or silently cut (Ollama:
the instructions and the start of the file vanish). So every prompt is measured (a
conservative estimate, see ``providers.context``) before it is sent: a whole file that
does not fit is narrowed to its outline and one suspect function, and when nothing fits
the run ends with a plain "prompt too big". For Ollama the window asked for (``num_ctx``)
is sized to the prompt once per fix, from a few stable sizes, and kept across rounds:
every change of ``num_ctx`` reloads the model.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

from langchain_core.messages import BaseMessage

from agentfix.engine.outline import definition, outline
from agentfix.engine.prompt import excerpt_messages
from agentfix.providers.base import MAX_ANSWER_TOKENS, Provider, Windowed
from agentfix.providers.context import (
    Window,
    estimate_tokens,
    is_prompt_too_big,
    stable_window,
)
from agentfix.source.tree import is_function, parse, span

FEEDBACK_TOKENS = 1024  # room for a later round's feedback, so num_ctx keeps its size


def window(provider: Provider) -> Window | None:
    """The server's context window for the provider's model; None for a provider without."""
    return provider.context_window() if isinstance(provider, Windowed) else None


def prompt_limit(provider: Provider) -> int | None:
    """Tokens a prompt may take: the server's window less the answer's; None when unknown."""
    found = window(provider)
    return None if found is None or found.tokens is None else found.tokens - MAX_ANSWER_TOKENS


def needed(messages: Sequence[BaseMessage]) -> int:
    """Estimated tokens of a prompt."""
    return estimate_tokens(str(m.content) for m in messages)


def fits(messages: Sequence[BaseMessage], limit: int | None) -> bool:
    return limit is None or needed(messages) <= limit


def sized(provider: Provider, prompts: Sequence[Sequence[BaseMessage]]) -> Provider:
    """The provider asking for a window that holds the largest prompt and its answer, with
    room for a later round's feedback; a window that already holds the prompts is kept as
    it is, so the model is not reloaded."""
    if not isinstance(provider, Windowed) or not prompts:
        return provider
    need = max(needed(p) for p in prompts) + MAX_ANSWER_TOKENS
    current, maximum = provider.num_ctx, provider.context_window().tokens
    if current is not None and need <= current <= (maximum or current):
        return provider
    return provider.with_window(stable_window(need + FEEDBACK_TOKENS, maximum))


def refusal(provider: Provider, prompts: Sequence[Sequence[BaseMessage]]) -> str:
    """The plain "prompt too big" message for the smallest of the prompts that do not fit."""
    need = min(needed(p) for p in prompts) + MAX_ANSWER_TOKENS
    if isinstance(provider, Windowed):
        return provider.too_big(need)
    return f"prompt too big: the prompt needs ~{need} tokens, more than the model's window"


def all_refused(errors: Sequence[str | None]) -> bool:
    """Every request failed, each because its prompt did not fit the server's window."""
    return bool(errors) and all(is_prompt_too_big(e) for e in errors)


def excerpt(
    rel_path: str,
    base: str,
    problems: str,
    names: Sequence[str],
    told: str | None,
    hint: str,
    limit: int | None,
    cited: Sequence[int] = (),
) -> tuple[list[BaseMessage], str] | None:
    """The first of ``names`` whose excerpt (the outline and that function) fits, with its
    name, else the smallest excerpt; then the functions holding the ``cited`` lines (of
    the problems: diagnostics, the editor's targets, a compile error). None when none has
    a definition to show."""
    smallest: tuple[list[BaseMessage], str] | None = None
    for name in [*names, *(n for n in holding(base, cited) if n not in names)]:
        code = definition(base, name)
        if code is None:
            continue
        messages = excerpt_messages(rel_path, name, outline(base), problems, code, told, hint)
        if fits(messages, limit):
            return messages, name
        if smallest is None or needed(messages) < needed(smallest[0]):
            smallest = messages, name
    return smallest


def holding(source: str, lines: Sequence[int]) -> list[str]:
    """Functions (or methods) holding the 1-based ``lines``, in their order, each once."""
    tree = parse(source)
    if tree is None:
        return []
    names: list[str] = []
    for line in lines:
        name = _holding(tree, line)
        if name and name not in names:
            names.append(name)
    return names


def _holding(tree: ast.Module, line: int) -> str | None:
    for node in tree.body:
        start, end = span(node)
        if not start < line <= end:
            continue
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if is_function(member) and span(member)[0] < line <= span(member)[1]:
                    return member.name
            return None
        return node.name if is_function(node) else None
    return None


def cut_note(provider: Provider, seen: int | None) -> str | None:
    """The server's count of the prompt tokens it evaluated (Ollama's ``prompt_eval_count``)
    filling the whole window means it cut the prompt: the estimate was short. Say so."""
    num_ctx = provider.num_ctx if isinstance(provider, Windowed) else None
    if seen is None or num_ctx is None or seen < num_ctx:
        return None
    return (
        f"the model evaluated {seen} prompt tokens, its whole window of {num_ctx}: the prompt "
        "may have been cut (a text denser than 3 characters a token)"
    )


def narrowed_note(rel_path: str, whole: int, limit: int) -> str:
    """Said once per fix: the model did not see the whole file, and why."""
    return (
        f"{rel_path} (~{whole + MAX_ANSWER_TOKENS} tokens with the answer) does not fit the "
        f"model's window of {limit + MAX_ANSWER_TOKENS} tokens: the model was shown the "
        "file's outline and one suspect function at a time instead of the whole file"
    )
