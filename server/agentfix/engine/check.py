"""The validate node: every new candidate checked in parallel threads, then the last test
stages for the best of those that passed the first, one at a time.

Repeats keep their earlier verdict. A sound lint fix of ruff's becomes the base the model
is shown (``rebase``), so the model spends itself on what is left.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from agentfix.engine.baseline import retarget
from agentfix.engine.candidate import Candidate, Maker
from agentfix.engine.context import Context, validator_for
from agentfix.engine.select import rank, remaining_lint, with_improvement
from agentfix.engine.state import FixState, added_times
from agentfix.validators.verdict import TEST_CHECKS, Check, CheckName, CheckStatus, Verdict


def validate(state: FixState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Validate new candidates in parallel threads; repeats keep their earlier verdict."""
    ctx = runtime.context
    validator = validator_for(ctx, state)
    fresh = [c for c in state["pending"] if c.duplicate_of is None]
    if fresh:
        ctx.say(f"validating {len(fresh)} candidate(s) in parallel", state)

    def one(cand: Candidate) -> Candidate:
        start = time.monotonic()
        verdict = validator.validate(cand.text, ctx.token, _test_progress(ctx, state, cand))
        verdict = with_improvement(ctx.request, state["original"], verdict)
        return replace(cand, verdict=verdict, validate_seconds=time.monotonic() - start)

    start = time.monotonic()
    done = {c.id: c for c in ctx.validation_pool.map(one, fresh)}
    timings: dict[str, float] = {}
    for cand in done.values():
        timings = added_times(timings, _check_times(cand.verdict.checks if cand.verdict else ()))
    confirmed, confirm_times = _confirm_best(ctx, state, list(done.values()))
    done |= confirmed
    timings = added_times(timings, confirm_times)
    timings = added_times(timings, {"validation": time.monotonic() - start})
    results = [done.get(c.id, c) for c in state["pending"]]
    log = []
    for cand in results:
        if cand.duplicate_of is None and cand.verdict:
            marks = " ".join(
                f"{c.name} {'ok' if c.status in ('pass', 'skipped') else 'FAIL'}"
                for c in cand.verdict.checks
            )
            ctx.say(f"candidate #{cand.id} ({cand.origin}): {marks}", state)
            log.append(ctx.event("verdict", candidate=cand.id, origin=str(cand.origin),
                                 checks=cand.verdict.to_json(), text=cand.text))  # fmt: skip
    update: dict[str, Any] = {"pending": [], "tried": results, "timings": timings, "log": log}
    # ruff's safe fixes, or a validated unsafe fix that leaves lint (a bug rule's fix that
    # fails the tests is not a base: the model starts from the original and the hint)
    lint_fixes = [
        c for c in results
        if not c.from_model and (c.validated or c.origin.maker is Maker.RUFF_SAFE)
        and c.verdict and c.verdict.passed(CheckName.COMPILE, CheckName.RUFF)
    ]  # fmt: skip
    if lint_fixes:
        cand = min(lint_fixes, key=lambda c: (remaining_lint(c), c.id))
        update |= rebase(ctx, state, cand)
        log.append(ctx.event("rebased_on_ruff_fix", candidate=cand.id, problems=update["problems"]))
    elif (found := _progress(state, results)) is not None:
        cand, fixed = found
        names = ", ".join(sorted(t.rsplit("::", 1)[-1] for t in fixed)[:3])
        ctx.say(f"candidate #{cand.id} fixed {len(fixed)} test(s) ({names}) and broke none: "
                "the next round builds on it", state)  # fmt: skip
        update |= rebase(ctx, state, cand) | {"base_fixed": len(fixed)}
        log.append(ctx.event("rebased_on_progress", candidate=cand.id, fixed=sorted(fixed),
                             problems=update["problems"]))  # fmt: skip
    return update


def _progress(
    state: FixState, results: Sequence[Candidate]
) -> tuple[Candidate, frozenset[str]] | None:
    """The model's failed candidate that made the most progress: it passes more of the
    original's failing tests than the base does, breaks none that passed, adds no failing
    test, compiles and adds no lint. The next round starts from it (and is told so), so a
    file with two bugs is not fixed one bug at a time from scratch, each round losing the
    other half."""
    original = state["original"]
    before = original.get(CheckName.TESTS) if original else None
    if before is None or before.report is None:
        return None
    best: tuple[Candidate, frozenset[str]] | None = None
    for cand in results:
        verdict = cand.verdict
        if not cand.from_model or cand.validated or verdict is None or cand.duplicate_of:
            continue
        if not verdict.passed(CheckName.COMPILE, CheckName.RUFF):
            continue
        tests = verdict.get(CheckName.TESTS)
        now = tests.report if tests else None
        if now is None:
            continue
        ran = frozenset(now.outcomes)
        fixed = before.report.failed & now.passed
        broken = (before.report.passed & ran) - now.passed
        new_failing = now.failed - frozenset(before.report.outcomes)
        if broken or new_failing or len(fixed) <= state["base_fixed"]:
            continue
        if best is None or len(fixed) > len(best[1]):
            best = (cand, fixed)
    return best


def _confirm_best(
    ctx: Context, state: FixState, done: list[Candidate]
) -> tuple[dict[int, Candidate], dict[str, float]]:
    """The last stages (the whole test command, a re-run in another order) for the
    candidates that passed the first, best first and one at a time, until one validates:
    a suite of minutes runs once per fix, not once per candidate."""
    validator = validator_for(ctx, state)
    waiting = [c for c in done if c.verdict and c.verdict.awaits]
    confirmed: dict[int, Candidate] = {}
    timings: dict[str, float] = {}
    for cand in sorted(waiting, key=lambda c: rank(ctx.request, validator, c)):
        assert cand.verdict is not None  # waiting holds only candidates with a verdict
        if ctx.token.stopped:
            break
        ctx.say(f"candidate #{cand.id} passed the first tests: running the whole test command",
                state)  # fmt: skip
        start = time.monotonic()
        say = _test_progress(ctx, state, cand)
        verdict = validator.confirm(cand.verdict, cand.text, ctx.token, say)
        verdict = with_improvement(ctx.request, state["original"], verdict)
        timings = added_times(timings, _check_times(verdict.checks[len(cand.verdict.checks) - 1 :]))
        seconds = cand.validate_seconds + time.monotonic() - start
        confirmed[cand.id] = replace(cand, verdict=verdict, validate_seconds=seconds)
        if verdict.validated:
            break
    return confirmed, timings


def _test_progress(ctx: Context, state: FixState, cand: Candidate) -> Callable[[str], None]:
    return lambda text: ctx.say(f"candidate #{cand.id}: {text}", state)


def _check_times(checks: Sequence[Check]) -> dict[str, float]:
    """Seconds per check (and copy), and the test runs counted by scope."""
    times: dict[str, float] = {}
    for check in checks:
        times = added_times(times, {f"validate.{check.name}": check.seconds})
        if "copy_seconds" in check.details:
            times = added_times(times, {"validate.copy": check.details["copy_seconds"]})
        if check.name in TEST_CHECKS and check.status != CheckStatus.PENDING:
            times = added_times(times, {f"runs.{check.details.get('scope', 'full')}": 1})
    return times


def rebase(ctx: Context, state: FixState, cand: Candidate) -> dict[str, Any]:
    """Show the model ruff's fixed text when it is sound, so it spends itself on what is left
    (a failing test, or the lint ruff cannot fix)."""
    verdict: Verdict = cand.verdict  # type: ignore[assignment]
    remaining = verdict.lint_left
    return retarget(ctx, state, cand.text, verdict, remaining)
