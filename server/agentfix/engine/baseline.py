"""The first node: judge the original file, and offer ruff's deterministic fixes.

The original's verdict and test baselines are what every candidate is compared with; a
clean file ends the run. Ruff's safe fixes (and, where the tests can judge them, some
unsafe ones) become candidates validated before any model is asked.
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from langgraph.runtime import Runtime

from agentfix.engine.candidate import RUFF, Candidate, Maker, Origin, normalized
from agentfix.engine.context import Context, validator_for
from agentfix.engine.prompt import MAX_HINTS, problems_text
from agentfix.engine.request import Status
from agentfix.engine.state import Event, FixState
from agentfix.engine.test_focus import focus
from agentfix.errors import AgentfixError
from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.ruff import ruff_diagnostics, ruff_hints
from agentfix.validators.ruff_fix import BUG_FIX_RULES, ruff_bug_fix, ruff_safe_fix, ruff_unsafe_fix
from agentfix.validators.test_baseline import TestSetupError, establish
from agentfix.validators.tests import ImportMismatch
from agentfix.validators.verdict import CheckName, CheckStatus, Verdict

RUFF_FAILED = (AgentfixError, OSError, subprocess.TimeoutExpired, ValueError)


def baseline(state: FixState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Validate the original; stop if it is clean; offer ruff's fixes as the first candidates."""
    ctx = runtime.context
    source = ctx.request.source
    runner = ctx.validator.tests
    if runner is not None:
        ctx.say(f"tests: `{runner.command}` with {runner.python} ({ctx.interpreter_reason}); "
                f"isolation: {runner.isolation.describe()}")  # fmt: skip
    else:
        ctx.say("no test command set or found: fixes are validated by compile and ruff only")
    ctx.say("checking the original file (compile, ruff, tests)")
    start = time.monotonic()
    verdict = ctx.validator.check_original(source)
    update: dict[str, Any] = {"timings": {}, "notes": []}
    if runner is not None:
        try:
            baselines = establish(runner, source, ctx.path, ctx.token,
                                  lambda text: ctx.say(f"original: {text}"))  # fmt: skip
        except (TestSetupError, ImportMismatch) as exc:
            return {"status": Status.TEST_SETUP, "message": str(exc),
                    "timings": {"baseline": time.monotonic() - start},
                    "log": [ctx.event("test_setup_error", error=str(exc))]}  # fmt: skip
        update["baselines"] = baselines
        # runs counted for the record: a fix's cost on a big suite
        update["timings"] = {"baseline.tests": baselines.check.seconds, "runs.full": 1}
        if baselines.full is not None and baselines.full.report.failed:
            update["timings"]["runs.focus"] = 1
        left, suite = ctx.token.remaining(), baselines.check.seconds
        if left is not None and left < 2 * suite + 30:
            note = (f"the whole test command took {suite:.0f}s and {left:.0f}s of the budget "
                    "were left after it: raise agentfix.timeout (--timeout) to leave room for "
                    "confirming a fix")  # fmt: skip
            update["notes"].append(note)
            ctx.say(note)
        said = (
            baselines.stopped_note(),
            baselines.unrelated_note(ctx.rel_path),
            baselines.import_note(ctx.rel_path, runner.command),
        )
        update["notes"] += [note for note in said if note]
        verdict = Verdict((*verdict.checks, baselines.check))
    update["timings"]["baseline"] = time.monotonic() - start
    tests = verdict.get(CheckName.TESTS)
    if tests and tests.status == CheckStatus.ERROR and "no tests were collected" in tests.summary:
        # nothing to run: candidates are judged by compile and ruff alone, and we say so
        update["tests_judge"] = False
        update["notes"].append(
            "no tests were collected, so fixes are validated by compile and ruff only"
        )
        verdict = Verdict(tuple(c for c in verdict.checks if c.name != "tests"))
    state = {**state, **update, "original": verdict}  # type: ignore[typeddict-item]
    diagnostics = ctx.validator.original_diagnostics
    update |= {"original": verdict, **retarget(ctx, state, source, verdict, diagnostics)}
    update["log"] = [ctx.event("baseline", checks=verdict.to_json(), problems=update["problems"])]
    clean = verdict.validated and not verdict.lint_count
    if clean and not ctx.request.targets:
        tested = "its tests pass" if verdict.passed(CheckName.TESTS) else "NO tests ran to check it"
        message = f"nothing to fix: the file compiles, is ruff-clean and {tested}"
        return {**update, "status": Status.CLEAN, "message": message}
    pending, events = _ruff_candidates(ctx, source, verdict)
    update["log"] += events
    return {**update, "pending": pending, "next_id": 1 + len(pending)}


def _ruff_candidates(
    ctx: Context, source: str, verdict: Verdict
) -> tuple[list[Candidate], list[Event]]:
    """Deterministic candidates, validated before any model is asked: ruff's safe fixes, and
    where the project's tests can judge them, ruff's unsafe fixes on top (see ``_unsafe``)."""
    path = ctx.request.path
    try:
        fixed = ruff_safe_fix(source, path)
    except AgentfixError as exc:
        return [], [ctx.event("ruff_fix_failed", error=str(exc))]
    found: list[Candidate] = []
    if normalized(fixed) != normalized(source):
        found.append(Candidate(1, 1, RUFF, fixed, "whole"))
        ctx.say("ruff's safe fixes give a deterministic candidate")
    tests = verdict.get(CheckName.TESTS)
    if tests is None or tests.status not in (CheckStatus.PASS, CheckStatus.FAIL):
        return found, []
    try:
        codes, repaired = _unsafe(ctx, fixed, tests_pass=tests.status == CheckStatus.PASS)
    except RUFF_FAILED as exc:
        return found, [ctx.event("ruff_fix_failed", error=str(exc))]
    if codes and normalized(repaired) != normalized(fixed):
        origin = Origin(Maker.RUFF_UNSAFE, tuple(codes))
        found.append(Candidate(len(found) + 1, 1, origin, repaired, "whole"))
        ctx.say(f"ruff's unsafe fix for {', '.join(codes)} gives a candidate the tests will judge")
    return found, []


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


def retarget(
    ctx: Context, state: FixState, base: str, verdict: Verdict, diagnostics: Sequence[Diagnostic]
) -> dict[str, Any]:
    """The update that makes ``base`` what the model sees, with its failures as the problems
    to fix, the functions the failing tests point at as the suspects, and the lines the
    other problems (ruff's bug hints among them) point at."""
    suspects: tuple[str, ...] = ()
    failing: tuple[str, str] | None = None
    spec = ""
    hints: list[Diagnostic] = []
    tests = verdict.get(CheckName.TESTS)
    if tests and tests.status in (CheckStatus.FAIL, CheckStatus.ERROR):
        runner = validator_for(ctx, state).tests
        failing = (runner.command if runner else "", tests.output)
        found = focus(tests.output, ctx.root, ctx.rel_path, base)
        suspects, spec = found.suspects, found.describe(ctx.rel_path) or ""
        hints = _hints(ctx, base, diagnostics)
    compiled = verdict.get(CheckName.COMPILE)
    broken = compiled if compiled and compiled.status == CheckStatus.FAIL else None
    pointed = [*ctx.request.targets, *filter(None, [ctx.request.focus])]
    problems = problems_text(
        [str(t) for t in pointed],
        [str(d) for d in diagnostics],
        broken.output if broken else None,
        failing,
        spec,
        [str(h) for h in hints],
    )
    lines = [t.line for t in pointed] + [d.row for d in diagnostics]
    lines.append(broken.details.get("line") if broken else None)
    lines += [h.row for h in hints[:MAX_HINTS]]  # the hints the prompt shows
    cited = tuple(line for line in lines if isinstance(line, int))
    return {"base": base, "problems": problems, "suspects": suspects, "cited": cited,
            "base_lint": len(diagnostics)}  # fmt: skip


def _hints(ctx: Context, base: str, shown: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Ruff's bug-finding rules on the failing code: a small model's best pointer to a
    classic bug (mutable default, late-binding closure) that the tests only show indirectly."""
    try:
        found = ruff_hints(base, ctx.request.path)
    except RUFF_FAILED:
        return []
    return [d for d in found if d not in shown]
