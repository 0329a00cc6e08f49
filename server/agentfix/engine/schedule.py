"""Candidate scheduling: which prompt and temperature each candidate of a round gets.

Round 1 shows the whole file, with a varied hint per candidate. After a failed round each
candidate looks at one suspect function, in turn: first written anew from its spec, then
shown in full with the feedback to be corrected. Pure functions of the state and settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.messages import BaseMessage

from agentfix.engine import fit
from agentfix.engine.outline import definition, outline
from agentfix.engine.prompt import VARIANT_HINTS, build_messages, focus_hint, rewrite_messages
from agentfix.engine.state import FixState


@dataclass(frozen=True)
class Prompt:
    """One candidate's request: the messages, its temperature, and the one function a
    rewrite asked for (only that is taken from its answer). ``narrowed``: the whole file
    (this many tokens) did not fit the window and the model sees an excerpt."""

    messages: list[BaseMessage]
    temperature: float
    only: str | None = None
    narrowed: int | None = None


def temperatures(base: float, k: int, rnd: int = 1) -> list[float]:
    """A spread for diversity: the first answer near-greedy, later ones warmer, and every
    round a little warmer than the last (identical prompts at K = 1 must not repeat)."""
    spread = [base, base + 0.4, base + 0.6, base + 0.8]
    warm = 0.2 * (rnd - 1)
    return [
        round(min(1.2, spread[i % len(spread)] + 0.1 * (i // len(spread)) + warm), 2)
        for i in range(k)
    ]


def turn(suspects: tuple[str, ...], k: int, rnd: int, variant: int) -> tuple[str, bool] | None:
    """The suspect a later round's candidate looks at, and whether it is written anew
    (else corrected): suspects rotate over candidates and rounds, rewrite before correct."""
    if rnd == 1 or not suspects:
        return None
    at = variant + (rnd - 2) * k
    return suspects[at % len(suspects)], (at // len(suspects)) % 2 == 0


def round_order(suspects: tuple[str, ...], k: int, rnd: int) -> list[int]:
    """The order a round's candidates are asked in: those with the same prompt (a rewrite
    of one suspect) or the same prefix (the file, then one suspect to correct) next to each
    other, so a server that caches the last prompt's prefix (llama.cpp, Ollama) reuses it
    instead of evaluating the whole prompt again for every answer."""

    def group(variant: int) -> tuple[bool, int]:
        found = turn(suspects, k, rnd, variant)
        if found is None:
            return (False, 0)
        name, rewrite = found
        return (not rewrite, suspects.index(name))

    return sorted(range(k), key=group)


def prompt_for(
    state: FixState,
    rel_path: str,
    k: int,
    rnd: int,
    variant: int,
    temperature: float,
    limit: int | None = None,
) -> Prompt:
    """Candidate ``variant``'s prompt in round ``rnd``. A file too large for the model's
    window (``limit`` prompt tokens) is shown as its outline and one suspect (the
    candidate's, in turn) instead; the prompt may still not fit, and ``generate`` then
    stops with "prompt too big"."""
    base, suspects, told = state["base"], state["suspects"], state["told"]
    focus = None
    shift = variant % len(suspects) if suspects else 0
    names = (*suspects[shift:], *suspects[:shift])
    if found := turn(suspects, k, rnd, variant):
        name, rewrite = found
        names = (name,)
        if rewrite and (skeleton := definition(base, name, body=False)):
            problems = "\n".join([state["problems"], *told])
            spec = rewrite_messages(rel_path, name, outline(base), problems, skeleton)
            return Prompt(spec, temperature, name)
        if code := definition(base, name):
            focus = focus_hint(name, code)
    hint = variant + (rnd - 1) * k
    said = "\n".join([*told, state["feedback"] or ""]).strip() or None
    messages = build_messages(rel_path, base, state["problems"], said, hint, focus)
    if limit is None or fit.fits(messages, limit):
        return Prompt(messages, temperature)
    hint_text = "" if focus else VARIANT_HINTS[hint % len(VARIANT_HINTS)]  # focus: the excerpt
    narrowed = fit.excerpt(
        rel_path, base, state["problems"], names, said, hint_text, limit, state["cited"]
    )
    if narrowed is None:
        return Prompt(messages, temperature)
    excerpt, name = narrowed
    whole = fit.needed(messages) if fit.fits(excerpt, limit) else None
    return Prompt(excerpt, temperature, name, whole)
