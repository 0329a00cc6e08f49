"""The self-correcting loop as a LangGraph ``StateGraph``.

    baseline ─▶ validate (ruff's deterministic fix) ─▶ decide
    decide ─▶ connect ─▶ generate ─▶ validate ─▶ decide ─▶ feedback ─▶ generate ...
    decide ─▶ generate for the next batch of a round (one-request-at-a-time servers)
    decide ─▶ END on success, round cap (after the fallback model), budget or cancellation

Nodes are small functions of (context, state); the routing reads only the state.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from langchain_core.messages import BaseMessage
from langgraph.graph import END, START, StateGraph

from agentfix.cancel import unless_stopped
from agentfix.engine import fit
from agentfix.engine.candidate import (
    Candidate,
    changed_lines,
    normalized,
    same_code,
)
from agentfix.engine.context import Context
from agentfix.engine.extract import extract_code
from agentfix.engine.feedback import describe_verdict, trim_test_output
from agentfix.engine.generate import ask_many, temperatures
from agentfix.engine.merge import merge_answer
from agentfix.engine.outline import definition, only_definition, outline
from agentfix.engine.prompt import VARIANT_HINTS, build_messages, focus_hint, rewrite_messages
from agentfix.engine.state import FixState
from agentfix.engine.test_focus import focus
from agentfix.errors import AgentfixError, Cancelled, ProviderError
from agentfix.line_diff import unified
from agentfix.project import opened
from agentfix.providers.base import Provider
from agentfix.providers.context import Window
from agentfix.validators.lint_scope import fix_near_changes, revert_untouched
from agentfix.validators.ruff import ruff_diagnostics, ruff_hints
from agentfix.validators.ruff_fix import BUG_FIX_RULES, ruff_bug_fix, ruff_safe_fix, ruff_unsafe_fix
from agentfix.validators.test_baseline import TestSetupError, establish
from agentfix.validators.tests import ImportMismatch
from agentfix.validators.verdict import Check, Verdict

MAX_HINTS = 5


def baseline(ctx: Context, state: FixState) -> dict[str, Any]:
    """Validate the original; stop if it is clean; offer ruff's safe fixes as candidate 0."""
    source = ctx.request.source
    runner = ctx.validator.tests
    if runner is not None:
        ctx.say(f"tests: `{runner.command}` with {runner.python} ({ctx.interpreter_reason}); "
                f"isolation: {runner.isolation.describe()}")  # fmt: skip
    else:
        ctx.say("no test command set or found: fixes are validated by compile and ruff only")
    ctx.say("checking the original file (compile, ruff, tests)")
    start = time.monotonic()
    verdict = ctx.validator.check_static(source)
    if runner is not None:
        try:
            baselines = establish(runner, source, opened(ctx.request.path),
                                  ctx.token, lambda text: ctx.say(f"original: {text}"))  # fmt: skip
        except (TestSetupError, ImportMismatch) as exc:
            ctx.add_time("baseline", time.monotonic() - start)
            ctx.trace.add("test_setup_error", error=str(exc))
            return {"status": "test_setup", "message": str(exc)}
        ctx.validator = replace(ctx.validator, baselines=baselines)
        ctx.add_time("baseline.tests", baselines.check.seconds)
        ctx.add_time("runs.full", 1)  # counted for the record: a fix's cost on a big suite
        left, suite = ctx.token.remaining(), baselines.check.seconds
        if left is not None and left < 2 * suite + 30:
            ctx.notes.append(f"the whole test command took {suite:.0f}s and {left:.0f}s of the "
                             "budget were left after it: raise agentfix.timeout (--timeout) to "
                             "leave room for confirming a fix")  # fmt: skip
            ctx.say(ctx.notes[-1])
        if baselines.full is not None and baselines.full.report.failed:
            ctx.add_time("runs.focus", 1)
        for note in (baselines.stopped_note(), baselines.unrelated_note(ctx.rel_path),
                     baselines.import_note(ctx.rel_path, runner.command)):  # fmt: skip
            if note:
                ctx.notes.append(note)
        verdict = Verdict((*verdict.checks, baselines.check))
    ctx.add_time("baseline", time.monotonic() - start)
    tests = verdict.get("tests")
    if tests and tests.status == "error" and "no tests were collected" in tests.summary:
        # nothing to run: candidates are judged by compile and ruff alone, and we say so
        ctx.validator = replace(ctx.validator, tests=None)
        ctx.notes.append("no tests were collected, so fixes are validated by compile and ruff only")
        verdict = Verdict(tuple(c for c in verdict.checks if c.name != "tests"))
    ctx.original_verdict = verdict
    _retarget(ctx, source, verdict, [str(d) for d in ctx.validator.original_diagnostics])
    ctx.trace.add("baseline", checks=verdict.to_json(), problems=ctx.problems)
    ruff_count = verdict.detail("ruff", "count", 0)
    clean = verdict.validated and not ruff_count and not ctx.request.targets
    if clean:
        tested = "its tests pass" if verdict.passed("tests") else "NO tests ran to check it"
        message = f"nothing to fix: the file compiles, is ruff-clean and {tested}"
        return {"status": "clean", "message": message}
    pending = _ruff_candidates(ctx, source, verdict)
    return {"pending": pending} if pending else {}


def _ruff_candidates(ctx: Context, source: str, verdict: Verdict) -> list[Candidate]:
    """Deterministic candidates, validated before any model is asked: ruff's safe fixes, and
    where the project's tests can judge them, ruff's unsafe fixes on top (see ``_unsafe``)."""
    path = ctx.request.path
    try:
        fixed = ruff_safe_fix(source, path)
    except AgentfixError as exc:
        ctx.trace.add("ruff_fix_failed", error=str(exc))
        return []
    found: list[Candidate] = []
    if normalized(fixed) != normalized(source):
        found.append(Candidate(next(ctx.ids), 1, "ruff", fixed, "whole"))
        ctx.say("ruff's safe fixes give a deterministic candidate")
    tests = verdict.get("tests")
    if tests is None or tests.status not in ("pass", "fail"):
        return found
    try:
        codes, repaired = _unsafe(ctx, fixed, tests_pass=tests.status == "pass")
    except (AgentfixError, OSError, subprocess.TimeoutExpired, ValueError) as exc:
        ctx.trace.add("ruff_fix_failed", error=str(exc))
        return found
    if codes and normalized(repaired) != normalized(fixed):
        found.append(Candidate(next(ctx.ids), 1, f"ruff:{','.join(codes)}", repaired, "whole"))
        ctx.say(f"ruff's unsafe fix for {', '.join(codes)} gives a candidate the tests will judge")
    return found


def _unsafe(ctx: Context, fixed: str, *, tests_pass: bool) -> tuple[list[str], str]:
    """Ruff's unsafe fixes worth a candidate, with the rules they fix. Passing tests make a
    lint-only target: every unsafe fix of the project's own rules (``== None`` to ``is
    None``, an unused variable's assignment) may go, and the tests check it changed nothing
    they see. Failing tests: only the fix of a bug rule that restores the intended behaviour
    (a mutable default argument), whatever the project selects; the tests must then pass."""
    path = ctx.request.path
    if tests_pass:
        repaired = ruff_unsafe_fix(fixed, path)
        if normalized(repaired) == normalized(fixed):
            return [], fixed
        before = Counter(d.code for d in ruff_diagnostics(fixed, path))
        after = Counter(d.code for d in ruff_diagnostics(repaired, path))
        return sorted(before - after), repaired
    codes = sorted({d.code for d in ruff_hints(fixed, path)} & set(BUG_FIX_RULES))
    return codes, (ruff_bug_fix(fixed, path, codes) if codes else fixed)


def _retarget(ctx: Context, base: str, verdict: Verdict, diagnostics: Sequence[str]) -> None:
    """Make ``base`` what the model sees, with its failures as the problems to fix."""
    ctx.base = base
    ctx.problems, ctx.suspects = _problems(ctx, verdict, diagnostics)
    ctx.base_lint = len(diagnostics)


def _problems(
    ctx: Context, verdict: Verdict, diagnostics: Sequence[str]
) -> tuple[str, tuple[str, ...]]:
    """The problems text, and the functions the failing tests point at (most used first)."""
    suspects: tuple[str, ...] = ()
    lines = [f"- {t}" for t in ctx.request.targets]
    for diag in diagnostics:
        lines.append(f"- ruff {diag}")
    compiled = verdict.get("compile")
    if compiled and compiled.status == "fail":
        lines.append(f"- {compiled.output}")
    tests = verdict.get("tests")
    if tests and tests.status in ("fail", "error"):
        command = ctx.validator.tests.command if ctx.validator.tests else ""
        lines.append(f"- The tests fail (`{command}`):\n{trim_test_output(tests.output)}")
        found = focus(tests.output, ctx.root, ctx.rel_path, ctx.base)
        suspects = found.suspects
        if spec := found.describe(ctx.rel_path):
            lines.append(spec)
        lines.extend(_hints(ctx, diagnostics))
    return "\n".join(lines) or "- No failing check is known; look for bugs.", suspects


def _hints(ctx: Context, shown: Sequence[str]) -> list[str]:
    """Ruff's bug-finding rules on the failing code: a small model's best pointer to a
    classic bug (mutable default, late-binding closure) that the tests only show indirectly."""
    try:
        found = ruff_hints(ctx.base, ctx.request.path)
    except (AgentfixError, OSError, subprocess.TimeoutExpired, ValueError):
        return []
    lines = [f"- {d}" for d in found if str(d) not in shown][:MAX_HINTS]
    if not lines:
        return []
    return ["Possible causes flagged by ruff's bug-finding rules (hints, not requirements):",
            *lines]  # fmt: skip


def connect(ctx: Context, state: FixState) -> dict[str, Any]:
    """Health-check the provider before its first round; failures end the run clearly. Then
    learn the model's context window, where the server tells it (see ``fit``)."""
    provider = ctx.provider.with_model(state["model"])
    ctx.say(f"connecting to {provider.name} at {provider.base_url} (model {provider.model})")
    start = time.monotonic()
    try:
        if window := unless_stopped(lambda: _check(provider), ctx.token):
            ctx.trace.add("context_window", model=provider.model, tokens=window.tokens,
                          source=window.source)  # fmt: skip
    except Cancelled:
        return _stopped(ctx) or {}
    except ProviderError as exc:
        ctx.trace.add("provider_error", error=str(exc))
        return {"status": "provider_error", "provider_error": str(exc), "message": str(exc)}
    finally:
        ctx.add_time("health_check", time.monotonic() - start)
    return {"connected": True}


def _check(provider: Provider) -> Window | None:
    provider.check()
    return fit.window(provider)


def generate(ctx: Context, state: FixState) -> dict[str, Any]:
    """Ask for K candidates with a temperature spread and varied hints: all at once, or in
    batches of ``parallelRequests`` for servers that serve one request at a time (a round
    then stops at its first validated candidate: see ``decide``)."""
    provider = ctx.provider.with_model(state["model"])
    k = ctx.settings.candidates
    starting = state["asked"] == 0 or state["asked"] >= k
    rnd = state["round"] + 1 if starting else state["round"]
    first = 0 if starting else state["asked"]
    count = min(ctx.settings.parallel_requests or k, k - first)
    notes = state["heard"] if starting else state["notes"]
    if starting:
        plural = "s" if k > 1 else ""
        batches = f", {count} at a time until one validates" if count < k else ""
        ctx.say(f"round {rnd}/{ctx.settings.max_rounds}: asking {provider.model} for {k} "
                f"candidate{plural}{batches}", state)  # fmt: skip
    spread = temperatures(ctx.settings.temperature, k, rnd)
    variants = _round_order(ctx, rnd)[first : first + count]
    start = time.monotonic()
    for attempt in (1, 2):  # a server that refuses a prompt names its window: fit to it once
        limit = fit.prompt_limit(provider)
        asks = [_messages(ctx, rnd, v, notes, state["feedback"], limit) for v in variants]
        if unfit := [m for m, _ in asks if not fit.fits(m, limit)]:
            message = fit.refusal(provider, unfit)
            ctx.trace.add("prompt_too_big", round=rnd, message=message)
            return {"status": "prompt_too_big", "message": message, "round": rnd,
                    "total_rounds": state["total_rounds"] + (1 if starting else 0)}  # fmt: skip
        provider = ctx.provider = fit.sized(provider, [m for m, _ in asks])
        prompts = [(m, spread[v]) for (m, _), v in zip(asks, variants, strict=True)]
        replies = ask_many(ctx.pool, provider, prompts, ctx.token, ctx.settings.parallel_requests,
                           ctx.settings.request_timeout)  # fmt: skip
        refused = fit.all_refused([a.error for a in replies if a is not None])
        if attempt == 2 or not refused or fit.prompt_limit(provider) == limit:
            break
        ctx.say(f"{provider.model} refused a prompt too long for its window: asking again", state)
    ctx.add_time("generation", time.monotonic() - start)
    # (prompt, only-this-function, answer) for every request that finished (all unless cancelled)
    done = [(m, only, a) for (m, only), a in zip(asks, replies, strict=True) if a is not None]
    answers = [answer for _, _, answer in done]
    for messages, _, answer in done:
        ctx.trace.add(
            "answer",
            round=rnd,
            model=answer.model,
            temperature=answer.temperature,
            prompt=[{"role": m.type, "content": m.content} for m in messages],
            text=answer.text,
            error=answer.error,
            seconds=answer.seconds,
            first_token_s=answer.first_token_s,
            prompt_tokens=answer.prompt_tokens,  # what the server counted (Ollama: it saw)
            prompt_tokens_estimate=fit.needed(messages),
            num_ctx=getattr(provider, "num_ctx", None),
        )
        fit.confirm(ctx, provider, answer.prompt_tokens)
    errors = [a.error for a in answers if a.error]
    failed = (0 if starting else state["failed"]) + len(errors)
    progress = {"round": rnd, "asked": first + count, "failed": failed,
                "total_rounds": state["total_rounds"] + (1 if starting else 0)}  # fmt: skip
    if answers and failed == first + count:  # every request of this round failed so far
        if fit.all_refused(errors):  # the server is reachable: its window is too small
            return {"status": "prompt_too_big", "message": errors[0], **progress}
        return {"status": "provider_error", "provider_error": errors[0], "message": errors[0],
                **progress}  # fmt: skip
    known = {normalized(c.text): c for c in state["tried"]}
    original = normalized(ctx.request.source)
    pending: list[Candidate] = []
    remarks: list[str] = []
    for _, only, answer in done:
        if answer.error:
            continue
        try:
            merged = _merged(ctx, answer.text, only)
        except (RecursionError, MemoryError):  # a degenerate answer: (((((... nested deep
            remarks.append("One answer was nested too deeply for Python to read; write plain code.")
            continue
        if merged is None:
            remarks.append("One answer had no ```python code block; always answer with one.")
            continue
        text, how = merged
        key = normalized(text)
        if key == original or (
            not ctx.base_lint and not ctx.request.targets and same_code(text, ctx.base)
        ):
            remarks.append(
                "One answer returned the code unchanged, but this code fails the checks above: "
                "find the bug and change the code."
            )
            continue
        earlier = known.get(key)
        cand = Candidate(next(ctx.ids), rnd, f"model:{answer.model}", text, how, answer)
        if earlier is not None:
            cand = replace(cand, duplicate_of=earlier.id, verdict=earlier.verdict)
            why = "still leaves ruff diagnostics" if earlier.validated else "already failed"
            remarks.append(
                f"One answer repeated attempt #{earlier.id}, which {why}; try a different fix."
            )
        else:
            known[key] = cand
        pending.append(cand)
    heard = remarks if starting else [*state["heard"], *remarks]
    return {"pending": pending, "notes": notes, "heard": heard, **progress}


def _messages(
    ctx: Context,
    rnd: int,
    variant: int,
    notes: list[str],
    feedback: str | None,
    limit: int | None = None,
) -> tuple[list[BaseMessage], str | None]:
    """Round 1 shows the whole file. After a failed round each candidate looks at one
    suspect function, in turn: first written anew from its spec (signature, docstring, the
    file's outline and the failing tests; the notes on earlier answers, not their diffs),
    then shown in full, with the feedback, to be corrected. Also returns the function a
    rewrite asked for: only that is taken from its answer.

    A file too large for the model's window (``limit`` prompt tokens) is shown as its
    outline and one suspect (the candidate's, in turn) instead; the prompt returned may
    still not fit, and ``generate`` then stops with "prompt too big"."""
    focus = None
    shift = variant % len(ctx.suspects) if ctx.suspects else 0
    names = (*ctx.suspects[shift:], *ctx.suspects[:shift])
    if turn := _turn(ctx, rnd, variant):
        name, rewrite = turn
        names = (name,)
        if rewrite and (skeleton := definition(ctx.base, name, body=False)):
            problems = "\n".join([ctx.problems, *notes])
            spec = rewrite_messages(ctx.rel_path, name, outline(ctx.base), problems, skeleton)
            return spec, name
        if code := definition(ctx.base, name):
            focus = focus_hint(name, code)
    hint = variant + (rnd - 1) * ctx.settings.candidates
    told = "\n".join([*notes, feedback or ""]).strip() or None
    messages = build_messages(ctx.rel_path, ctx.base, ctx.problems, told, hint, focus)
    if limit is None or fit.fits(messages, limit):
        return messages, None
    hint_text = "" if focus else VARIANT_HINTS[hint % len(VARIANT_HINTS)]  # focus: the excerpt
    narrowed = fit.excerpt(ctx, names, told, hint_text, limit)
    if narrowed is None:
        return messages, None
    if fit.fits(narrowed[0], limit):
        fit.note_narrowed(ctx, fit.needed(messages), limit)
    return narrowed


def _turn(ctx: Context, rnd: int, variant: int) -> tuple[str, bool] | None:
    """The suspect a later round's candidate looks at, and whether it is written anew
    (else corrected): suspects rotate over candidates and rounds, rewrite before correct."""
    if rnd == 1 or not ctx.suspects:
        return None
    turn = variant + (rnd - 2) * ctx.settings.candidates
    name = ctx.suspects[turn % len(ctx.suspects)]
    return name, (turn // len(ctx.suspects)) % 2 == 0


def _round_order(ctx: Context, rnd: int) -> list[int]:
    """The order a round's candidates are asked in: those with the same prompt (a rewrite
    of one suspect) or the same prefix (the file, then one suspect to correct) next to each
    other, so a server that caches the last prompt's prefix (llama.cpp, Ollama) reuses it
    instead of evaluating the whole prompt again for every answer."""
    variants = range(ctx.settings.candidates)

    def group(variant: int) -> tuple[bool, int]:
        turn = _turn(ctx, rnd, variant)
        if turn is None:
            return (False, 0)
        name, rewrite = turn
        return (not rewrite, ctx.suspects.index(name))

    return sorted(variants, key=group)


def _merged(ctx: Context, answer: str, only: str | None) -> tuple[str, str] | None:
    """The answer's code merged into the file and lint-fixed near its changes, with how it
    was merged; None when the answer has no code block."""
    code = extract_code(answer)
    if code is None:
        return None
    if only:
        code = only_definition(code, only, ctx.base)
    text, how = merge_answer(ctx.base, code)
    return _lint_fixed(ctx, text), how


def validate(ctx: Context, state: FixState) -> dict[str, Any]:
    """Validate new candidates in parallel threads; repeats keep their earlier verdict."""
    fresh = [c for c in state["pending"] if c.duplicate_of is None]
    if fresh:
        ctx.say(f"validating {len(fresh)} candidate(s) in parallel", state)

    def one(cand: Candidate) -> Candidate:
        start = time.monotonic()
        say = _test_progress(ctx, state, cand)
        verdict = _with_improvement(ctx, ctx.validator.validate(cand.text, ctx.token, say))
        _add_check_times(ctx, verdict.checks)
        return replace(cand, verdict=verdict, validate_seconds=time.monotonic() - start)

    start = time.monotonic()
    done = {c.id: c for c in ctx.validation_pool.map(one, fresh)}
    done.update(_confirm_best(ctx, state, list(done.values())))
    ctx.add_time("validation", time.monotonic() - start)
    results = [done.get(c.id, c) for c in state["pending"]]
    for cand in results:
        if cand.duplicate_of is None and cand.verdict:
            marks = " ".join(
                f"{c.name} {'ok' if c.status in ('pass', 'skipped') else 'FAIL'}"
                for c in cand.verdict.checks
            )
            ctx.say(f"candidate #{cand.id} ({cand.origin}): {marks}", state)
            ctx.trace.add("verdict", candidate=cand.id, origin=cand.origin,
                          checks=cand.verdict.to_json(), text=cand.text)  # fmt: skip
    # ruff's safe fixes, or a validated unsafe fix that leaves lint (a bug rule's fix that
    # fails the tests is not a base: the model starts from the original and the hint)
    lint_fixes = [
        c for c in results
        if not c.from_model and (c.validated or c.origin == "ruff")
        and c.verdict and c.verdict.passed("compile", "ruff")
    ]  # fmt: skip
    if lint_fixes:
        _rebase_on_lint_fix(ctx, min(lint_fixes, key=lambda c: (_remaining_lint(c), c.id)))
    return {"pending": [], "tried": state["tried"] + results}


def _confirm_best(ctx: Context, state: FixState, done: list[Candidate]) -> dict[int, Candidate]:
    """The last stages (the whole test command, a re-run in another order) for the
    candidates that passed the first, best first and one at a time, until one validates:
    a suite of minutes runs once per fix, not once per candidate."""
    waiting = [c for c in done if c.verdict and _awaits(c.verdict)]
    confirmed: dict[int, Candidate] = {}
    for cand in sorted(waiting, key=lambda c: _rank(ctx, c)):
        if ctx.token.stopped:
            break
        ctx.say(f"candidate #{cand.id} passed the first tests: running the whole test command",
                state)  # fmt: skip
        start = time.monotonic()
        say = _test_progress(ctx, state, cand)
        verdict = ctx.validator.confirm(cand.verdict, cand.text, ctx.token, say)  # type: ignore[arg-type]
        verdict = _with_improvement(ctx, verdict)
        _add_check_times(ctx, verdict.checks[len(cand.verdict.checks) - 1 :])  # type: ignore[union-attr]
        seconds = cand.validate_seconds + time.monotonic() - start
        confirmed[cand.id] = replace(cand, verdict=verdict, validate_seconds=seconds)
        if verdict.validated:
            break
    return confirmed


def _awaits(verdict: Verdict) -> bool:
    """Passed every check so far, with the last stages still to run."""
    return any(c.status == "pending" for c in verdict.checks) and all(
        c.status in ("pass", "skipped", "pending") for c in verdict.checks
    )


def _test_progress(ctx: Context, state: FixState, cand: Candidate) -> Any:
    return lambda text: ctx.say(f"candidate #{cand.id}: {text}", state)


def _add_check_times(ctx: Context, checks: Sequence[Check]) -> None:
    for check in checks:
        ctx.add_time(f"validate.{check.name}", check.seconds)
        if "copy_seconds" in check.details:
            ctx.add_time("validate.copy", check.details["copy_seconds"])
        if check.name in ("tests", "cover", "suite", "rerun") and check.status != "pending":
            ctx.add_time(f"runs.{check.details.get('scope', 'full')}", 1)


def _rebase_on_lint_fix(ctx: Context, cand: Candidate) -> None:
    """Show the model ruff's fixed text when it is sound, so it spends itself on what is left
    (a failing test, or the lint ruff cannot fix)."""
    verdict: Verdict = cand.verdict  # type: ignore[assignment]
    remaining = verdict.detail("ruff", "diagnostics", [])
    _retarget(ctx, cand.text, verdict, remaining)
    ctx.trace.add("rebased_on_ruff_fix", candidate=cand.id, problems=ctx.problems)


def _lint_fixed(ctx: Context, text: str) -> str:
    """Apply ruff's safe fixes to a model answer (sloppy import order is not worth a round),
    but only where the answer changed the base or added lint: the rest of the file, and the
    diagnostics the user already had there, stay as they were, so the diff is the fix.
    When the original's tests fail and the model was shown ruff's fixed file, the ruff
    rewrites its answer did not touch go back as they were: a fix of a failing test is not
    also a reformatting of the file (a 2-line fix was a 63-line diff on more-itertools)."""
    source, path = ctx.request.source, ctx.request.path
    tests = ctx.original_verdict.get("tests") if ctx.original_verdict else None
    fixing_tests = tests is not None and tests.status in ("fail", "error")
    against = ctx.base
    try:
        if ctx.base != source and fixing_tests and not ctx.request.targets:
            text, against = revert_untouched(source, ctx.base, text, path), source
        fixed = fix_near_changes(text, against, path, ctx.validator.original_diagnostics)
    except (AgentfixError, OSError, subprocess.TimeoutExpired, ValueError):
        return text
    return fixed or text


def _with_improvement(ctx: Context, verdict: Verdict) -> Verdict:
    """A candidate that passes every check must also improve on the original."""
    if not verdict.validated or ctx.original_verdict is None:
        return verdict
    original = ctx.original_verdict
    before = original.detail("ruff", "count", 0)
    after = verdict.detail("ruff", "count", 0)
    if not original.validated or after < before or ctx.request.targets:
        return verdict
    check = Check("improves", "fail", "changes nothing that was failing: the original already "
                  "passes these checks")  # fmt: skip
    return Verdict((*verdict.checks, check))


def _stopped(ctx: Context) -> dict[str, Any] | None:
    """The exit of a cancelled fix or one out of budget; None while it may go on."""
    if ctx.token.cancelled:
        return {"status": "cancelled", "next": "end", "message": ctx.token.reason}
    if ctx.token.stopped:
        budget = f"the wall-clock budget of {ctx.settings.timeout:.0f}s ran out"
        return {"status": "timeout", "next": "end", "message": budget}
    return None


def decide(ctx: Context, state: FixState) -> dict[str, Any]:
    """Explicit exits: success, cancellation, budget, round cap (then fallback model);
    otherwise the next batch of the round, or feedback and the next round."""
    if any(_finishes(ctx, c) for c in state["tried"]):
        return {"status": "fixed", "next": "end"}
    if state["status"]:
        return {"next": "end"}
    if stopped := _stopped(ctx):
        return stopped
    if not state["connected"]:
        return {"next": "connect"}
    if 0 < state["asked"] < ctx.settings.candidates:
        return {"next": "generate"}  # the rest of this round's candidates, same prompts
    if state["round"] >= ctx.settings.max_rounds:
        fallback = ctx.settings.fallback_model
        if fallback and not state["fallback_used"] and fallback != state["model"]:
            ctx.say(f"{state['model']} found no validated fix; trying fallback model {fallback}")
            return {"model": fallback, "fallback_used": True, "round": 0, "connected": False,
                    "feedback": None, "notes": [], "heard": [], "asked": 0, "failed": 0,
                    "next": "connect"}  # fmt: skip
        return {"status": "no_fix", "next": "end"}
    return {"next": "feedback"}


def _finishes(ctx: Context, cand: Candidate) -> bool:
    """A validated candidate ends the run when no lint is left, or when it is the model's fix
    of a failing original (lint the file already had may stay). A lint-only target goes on
    until the lint is gone or the rounds run out; the least lint then wins (``smallest``)."""
    if not cand.validated or cand.duplicate_of is not None:
        return False
    if not cand.from_model and not _only_lint_targets(ctx):
        return False  # the editor asked about a diagnostic ruff does not report: ask the model
    if _remaining_lint(cand) == 0:
        return True
    original = ctx.original_verdict
    return cand.origin != "ruff" and original is not None and not original.validated


def _only_lint_targets(ctx: Context) -> bool:
    """Whether every diagnostic the editor pointed at is one ruff reports on the original
    (so ruff's own fix can settle it); true when the whole file is the target."""
    codes = {d.code for d in ctx.validator.original_diagnostics}
    return all(codes & set(target.split()) for target in ctx.request.targets)


def feedback(ctx: Context, state: FixState) -> dict[str, Any]:
    """Feed back the best failing candidate of the last round: its change and what failed."""
    latest = [
        c for c in state["tried"]
        if c.round == state["round"] and c.duplicate_of is None and c.verdict
    ]  # fmt: skip
    if any(c.from_model for c in latest):
        latest = [c for c in latest if c.from_model]
    if not latest:
        return {"feedback": None}
    best = max(latest, key=lambda c: (c.verdict.stage_score(), -c.id))  # type: ignore[union-attr]
    verdict: Verdict = best.verdict  # type: ignore[assignment]
    diff = unified(ctx.base, best.text, ctx.rel_path, context=2)
    if verdict.validated:  # lint-only target, some lint left: finish the job
        left = verdict.detail("ruff", "diagnostics", [])
        verdict_text = "It passes every check, but ruff still reports:\n" + "\n".join(
            f"- {d}" for d in left[:10]
        )
        head = f"Your previous attempt (#{best.id}) is not finished yet."
    else:
        verdict_text = describe_verdict(verdict)
        head = f"Your previous attempt (#{best.id}) did not pass validation."
    text = f"{head}\nIt changed the file like this:\n```diff\n{diff.rstrip()}\n```\n{verdict_text}"
    failure = verdict.first_failure
    if failure and failure.name == "tests":
        found = focus(failure.output, ctx.root, ctx.rel_path, best.text)
        new = tuple(s for s in found.sources if s not in ctx.problems)
        if new:
            text += "\n" + replace(found, sources=new, names=()).describe(ctx.rel_path)
    ctx.trace.add("feedback", round=state["round"], candidate=best.id, text=text)
    return {"feedback": text}


def build_graph(ctx: Context) -> Any:
    """Compile the graph; each node closes over the context."""
    graph = StateGraph(FixState)
    for name, node in (
        ("baseline", baseline),
        ("connect", connect),
        ("generate", generate),
        ("validate", validate),
        ("decide", decide),
        ("feedback", feedback),
    ):
        graph.add_node(name, _bind(node, ctx))
    graph.add_edge(START, "baseline")
    graph.add_conditional_edges(
        "baseline",
        lambda s: "end" if s["status"] else ("validate" if s["pending"] else "connect"),
        {"end": END, "validate": "validate", "connect": "connect"},
    )
    graph.add_conditional_edges(
        "connect", lambda s: "end" if s["status"] else "generate",
        {"end": END, "generate": "generate"},
    )  # fmt: skip
    graph.add_edge("generate", "validate")
    graph.add_edge("validate", "decide")
    graph.add_conditional_edges(
        "decide",
        lambda s: s["next"],
        {"end": END, "connect": "connect", "feedback": "feedback", "generate": "generate"},
    )
    graph.add_edge("feedback", "generate")
    return graph.compile()


def _bind(node: Any, ctx: Context) -> Any:
    def run(state: FixState) -> dict[str, Any]:
        return node(ctx, state)

    run.__name__ = node.__name__
    return run


def smallest(ctx: Context, candidates: list[Candidate]) -> Candidate | None:
    """Among validated candidates prefer the least lint left, then the smallest change; a
    model's fix before ruff's when the editor pointed at a diagnostic that is not ruff's."""
    valid = [c for c in candidates if c.validated and c.duplicate_of is None]
    return min(valid, key=lambda c: _rank(ctx, c), default=None)


def _rank(ctx: Context, cand: Candidate) -> tuple[bool, int, int, int]:
    """Order of preference among candidates that pass: see ``smallest``."""
    model_first = not _only_lint_targets(ctx)
    return (
        model_first and not cand.from_model,
        _remaining_lint(cand),
        changed_lines(ctx.request.source, cand.text),
        cand.id,
    )


def _remaining_lint(cand: Candidate) -> int:
    """Ruff diagnostics still in a candidate (0 when ruff did not run)."""
    return int(cand.verdict.detail("ruff", "count", 0)) if cand.verdict else 0
