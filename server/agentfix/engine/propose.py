"""The generate node: ask the model for a round's candidates and turn answers into them.

K candidates with a temperature spread and varied prompts (``schedule``): all at once, or
in batches of ``parallelRequests`` for servers that serve one request at a time (a round
then stops at its first validated candidate: see ``decide``). Answers are merged into the
base and lint-fixed near their changes; repeats and empty answers become remarks for the
next round instead of candidates.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from agentfix.engine import fit, prompt
from agentfix.engine.candidate import Answer, Candidate, Maker, Origin, normalized, same_code
from agentfix.engine.context import Context, provider_for
from agentfix.engine.extract import extract_code
from agentfix.engine.generate import ask_many
from agentfix.engine.merge import merge_answer
from agentfix.engine.outline import only_definition
from agentfix.engine.request import Status
from agentfix.engine.schedule import Prompt, prompt_for, round_order, temperatures
from agentfix.engine.state import Event, FixState
from agentfix.errors import AgentfixError
from agentfix.providers.base import Provider, Windowed
from agentfix.validators.lint_scope import fix_near_changes, revert_untouched
from agentfix.validators.verdict import CheckName, CheckStatus


def generate(state: FixState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask for this round's (or this batch's) candidates; see the module docstring."""
    ctx = runtime.context
    settings = ctx.settings
    provider = provider_for(ctx, state)
    k = settings.candidates
    starting = state["asked"] == 0 or state["asked"] >= k
    rnd = state["round"] + 1 if starting else state["round"]
    first = 0 if starting else state["asked"]
    count = min(settings.parallel_requests or k, k - first)
    if starting:  # what was remarked on the last round's answers is told in this one
        state = {**state, "told": state["remarks"], "remarks": []}
        plural = "s" if k > 1 else ""
        batches = f", {count} at a time until one validates" if count < k else ""
        ctx.say(f"round {rnd}/{settings.max_rounds}: asking {provider.model} for {k} "
                f"candidate{plural}{batches}", state)  # fmt: skip
    progress = {"round": rnd, "asked": first + count, "told": state["told"],
                "remarks": state["remarks"],
                "total_rounds": state["total_rounds"] + (1 if starting else 0)}  # fmt: skip
    spread = temperatures(settings.temperature, k, rnd)
    variants = round_order(state["suspects"], k, rnd)[first : first + count]
    start, notes = time.monotonic(), []
    for attempt in (1, 2):  # a server that refuses a prompt names its window: fit to it once
        limit = fit.prompt_limit(provider)
        asks = [prompt_for(state, ctx.rel_path, k, rnd, v, spread[v], limit) for v in variants]
        notes = [fit.narrowed_note(ctx.rel_path, a.narrowed, limit) for a in asks
                 if a.narrowed is not None and limit is not None]  # fmt: skip
        if unfit := [a.messages for a in asks if not fit.fits(a.messages, limit)]:
            message = fit.refusal(provider, unfit)
            return {**progress, "status": Status.PROMPT_TOO_BIG, "message": message,
                    "log": [ctx.event("prompt_too_big", round=rnd, message=message)]}  # fmt: skip
        provider = fit.sized(provider, [a.messages for a in asks])
        requests = [(a.messages, a.temperature) for a in asks]
        replies = ask_many(ctx.pool, provider, requests, ctx.token,
                           settings.parallel_requests, settings.request_timeout)  # fmt: skip
        refused = fit.all_refused([a.error for a in replies if a is not None])
        if attempt == 2 or not refused or fit.prompt_limit(provider) == limit:
            break
        ctx.say(f"{provider.model} refused a prompt too long for its window: asking again", state)
    num_ctx = provider.num_ctx if isinstance(provider, Windowed) else None
    progress |= {"num_ctx": num_ctx, "timings": {"generation": time.monotonic() - start}}
    # every request that finished (all unless cancelled)
    done = [(a, reply) for a, reply in zip(asks, replies, strict=True) if reply is not None]
    log = [_answer_event(ctx, provider, rnd, a, reply) for a, reply in done]
    notes += [n for _, reply in done if (n := fit.cut_note(provider, reply.prompt_tokens))]
    for note in dict.fromkeys(notes):
        if note not in state["notes"]:
            ctx.say(note)
    errors = [reply.error for _, reply in done if reply.error]
    failed = (0 if starting else state["failed"]) + len(errors)
    progress |= {"failed": failed, "log": log, "notes": notes}
    if done and failed == first + count:  # every request of this round failed so far
        if fit.all_refused(errors):  # the server is reachable: its window is too small
            return {**progress, "status": Status.PROMPT_TOO_BIG, "message": errors[0]}
        return {**progress, "status": Status.PROVIDER_ERROR, "provider_error": errors[0],
                "message": errors[0]}  # fmt: skip
    pending, remarks = _candidates(ctx, state, rnd, [(a.only, r) for a, r in done if not r.error])
    return {**progress, "pending": pending, "next_id": state["next_id"] + len(pending),
            "remarks": [*state["remarks"], *remarks]}  # fmt: skip


def _answer_event(ctx: Context, provider: Provider, rnd: int, ask: Prompt, answer: Answer) -> Event:
    return ctx.event(
        "answer",
        round=rnd,
        model=answer.model,
        temperature=answer.temperature,
        prompt=[{"role": m.type, "content": m.content} for m in ask.messages],
        text=answer.text,
        error=answer.error,
        seconds=answer.seconds,
        first_token_s=answer.first_token_s,
        prompt_tokens=answer.prompt_tokens,  # what the server counted (Ollama: it saw)
        prompt_tokens_estimate=fit.needed(ask.messages),
        num_ctx=provider.num_ctx if isinstance(provider, Windowed) else None,
    )


def _candidates(
    ctx: Context, state: FixState, rnd: int, answers: list[tuple[str | None, Answer]]
) -> tuple[list[Candidate], list[str]]:
    """The answers as new candidates (numbered from the state's next id), and remarks on
    those that are not: no code, too deep to read, unchanged, or a repeat."""
    known = {normalized(c.text): c for c in state["tried"]}
    original = normalized(ctx.request.source)
    pending: list[Candidate] = []
    remarks: list[str] = []
    for only, answer in answers:
        merged = _merged(ctx, state, answer.text, only)
        if merged is None:
            remarks.append(prompt.NO_CODE)
            continue
        text, how = merged
        key = normalized(text)
        if key == original or (
            not state["base_lint"] and not ctx.request.targets and same_code(text, state["base"])
        ):
            remarks.append(prompt.UNCHANGED)
            continue
        origin = Origin(Maker.MODEL, model=answer.model)
        cand = Candidate(state["next_id"] + len(pending), rnd, origin, text, how, answer)
        if (earlier := known.get(key)) is not None:
            cand = replace(cand, duplicate_of=earlier.id, verdict=earlier.verdict)
            remarks.append(prompt.repeated(earlier.id, earlier.validated))
        else:
            known[key] = cand
        pending.append(cand)
    return pending, remarks


def _merged(ctx: Context, state: FixState, answer: str, only: str | None) -> tuple[str, str] | None:
    """The answer's code merged into the base and lint-fixed near its changes, with how it
    was merged; None when the answer has no code block."""
    code = extract_code(answer)
    if code is None:
        return None
    if only:
        code = only_definition(code, only, state["base"])
    text, how = merge_answer(state["base"], code)
    return lint_fixed(ctx, state, text), how


def lint_fixed(ctx: Context, state: FixState, text: str) -> str:
    """Apply ruff's safe fixes to a model answer (sloppy import order is not worth a round),
    but only where the answer changed the base or added lint: the rest of the file, and the
    diagnostics the user already had there, stay as they were, so the diff is the fix.
    When the original's tests fail and the model was shown ruff's fixed file, the ruff
    rewrites its answer did not touch go back as they were: a fix of a failing test is not
    also a reformatting of the file (a 2-line fix was a 63-line diff on more-itertools)."""
    source, path, base = ctx.request.source, ctx.request.path, state["base"]
    tests = state["original"].get(CheckName.TESTS) if state["original"] else None
    fixing_tests = tests is not None and tests.status in (CheckStatus.FAIL, CheckStatus.ERROR)
    against = base
    try:
        if base != source and fixing_tests and not ctx.request.targets and not state["base_fixed"]:
            text, against = revert_untouched(source, base, text, path), source
        fixed = fix_near_changes(text, against, path, ctx.validator.original_diagnostics)
    except (AgentfixError, OSError, subprocess.TimeoutExpired, ValueError):
        return text
    return fixed or text
