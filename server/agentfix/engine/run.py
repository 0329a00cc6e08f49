"""Entry point of the engine: one call that fixes one file and explains the outcome."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.engine.candidate import Candidate
from agentfix.engine.context import Context
from agentfix.engine.feedback import trim_test_output
from agentfix.engine.graph import build_graph, smallest
from agentfix.engine.request import FixRequest, FixResult
from agentfix.engine.state import initial_state
from agentfix.progress import ProgressSink, ignore_progress
from agentfix.project import discover, opened
from agentfix.providers.base import Provider
from agentfix.settings import Settings
from agentfix.text_form import TextForm
from agentfix.trace import Trace
from agentfix.validators.pipeline import Validator
from agentfix.validators.ruff import ruff_diagnostics
from agentfix.validators.sandbox import Limits, isolation_for
from agentfix.validators.tests import TestRunner
from agentfix.validators.verdict import Verdict
from agentfix.validators.workspace import Snapshot


def run_fix(
    request: FixRequest,
    settings: Settings,
    provider: Provider,
    *,
    token: CancelToken | None = None,
    progress: ProgressSink = ignore_progress,
    trace: Trace | None = None,
    allow_partial: bool = False,
    parallel_validation: bool = True,
) -> FixResult:
    """Fix ``request.path``; never writes any file. ``allow_partial`` (demo) keeps ruff's
    lint fix when no model can be reached and the tests are no worse for it;
    ``parallel_validation=False`` checks candidates one at a time (for benchmarks)."""
    form, plain = TextForm.of(request.source)
    if not form.plain:  # a BOM or CRLF: fixed as plain text, written back in its own form
        result = run_fix(
            replace(request, source=plain), settings, provider, token=token,
            progress=progress, trace=trace, allow_partial=allow_partial,
            parallel_validation=parallel_validation,
        )  # fmt: skip
        result.original = request.source
        result.fixed = form.apply(result.fixed) if result.fixed is not None else None
        return result
    started = time.monotonic()
    token = token or CancelToken(settings.timeout)
    trace = trace or Trace()
    path = opened(request.path)
    project = discover(path, settings.python, settings.test_command)
    rel_path = path.relative_to(project.root).as_posix()
    isolation = isolation_for(settings.sandbox)
    runner = None
    if project.test_command:
        runner = TestRunner(
            command=project.test_command,
            snapshot=Snapshot.take(project.root),
            rel_path=rel_path,
            python=project.python,
            timeout=settings.test_timeout,
            isolation=isolation,
            limits=Limits(settings.memory_limit_mb, settings.max_processes),
        )
    validator = Validator(path, tuple(ruff_diagnostics(request.source, path)), runner)
    trace.add("start", path=str(path), root=str(project.root), python=project.python,
              python_reason=project.interpreter.reason,
              test_command=project.test_command, isolation=isolation.describe(),
              settings=settings.model_dump())  # fmt: skip
    workers = 2 * (settings.candidates + 1)
    checkers = settings.candidates + 1 if parallel_validation else 1
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="agentfix-gen") as pool,
        ThreadPoolExecutor(checkers, thread_name_prefix="agentfix-check") as checks,
    ):
        ctx = Context(request, rel_path, settings, provider, validator, pool, checks, token,
                      progress, trace, interpreter_reason=project.interpreter.reason)  # fmt: skip
        if project.interpreter.fallback and runner is not None:
            ctx.notes.append(project.interpreter.reason)
        ctx.notes += _trust_notes(
            settings, project.root, runner is not None and not isolation.bwrap
        )
        if runner is not None:
            ctx.timings["snapshot_list"] = runner.snapshot.list_seconds
        state = build_graph(ctx).invoke(
            initial_state(provider.model),
            {"recursion_limit": 10 + (3 * settings.candidates + 4) * settings.max_rounds * 2},
        )
    ctx.timings["total"] = time.monotonic() - started
    tried: list[Candidate] = state["tried"]
    best = smallest(ctx, tried)
    result = FixResult(
        status=state["status"] or "no_fix",  # type: ignore[arg-type]
        message=state["message"],
        path=path,
        rel_path=rel_path,
        original=request.source,
        candidates=tried,
        original_verdict=ctx.original_verdict,
        rounds=state["total_rounds"],
        models=[provider.model]
        + ([settings.fallback_model] if state["fallback_used"] and settings.fallback_model else []),
        timings=ctx.timings,
        isolation=isolation.describe(),
        test_command=project.test_command,
        provider_error=state["provider_error"],
    )
    if best is not None:
        result.status, result.fixed, result.best = "fixed", best.text, best
    else:
        result.best = _best_attempt(tried)
        if allow_partial:
            _keep_partial(result)
    result.message = "\n".join([_explain(result, settings), *(f"note: {n}" for n in ctx.notes)])
    trace.add("result", status=result.status, message=result.message)
    return result


def _best_attempt(tried: list[Candidate]) -> Candidate | None:
    real = [c for c in tried if c.verdict and c.duplicate_of is None]
    return max(real, key=lambda c: (c.verdict.stage_score(), -c.id), default=None)  # type: ignore[union-attr]


def _keep_partial(result: FixResult) -> None:
    """Keep ruff's deterministic fix when it removes lint and the tests are no worse."""
    ruff = next((c for c in result.candidates if c.origin == "ruff" and c.verdict), None)
    original = result.original_verdict
    if ruff is None or original is None or ruff.verdict is None:
        return
    if not ruff.verdict.passed("compile", "ruff"):
        return
    before, after = original.get("tests"), ruff.verdict.get("tests")
    if before and after and before.status != after.status:
        return
    if before and after and after.details.get("failed", 0) > before.details.get("failed", 0):
        return
    result.status, result.fixed, result.best = "partial", ruff.text, ruff


def _explain(result: FixResult, settings: Settings) -> str:
    """The one message a user reads: what was fixed, or precisely why nothing was."""
    n = len([c for c in result.candidates if c.duplicate_of is None])
    if result.status == "fixed" and result.best:
        how = _how(result.best)
        verdict: Verdict = result.best.verdict  # type: ignore[assignment]
        checks = ", ".join(
            c.summary if c.summary.startswith(c.name) else f"{c.name} {c.summary}"
            for c in verdict.checks
            if c.status == "pass"
        )
        text = (f"fixed {result.rel_path} with {how} (candidate #{result.best.id} of {n}, "
                f"{result.rounds} model round(s)); validated: {checks}")  # fmt: skip
        left = verdict.detail("ruff", "diagnostics", [])
        if left:
            text += (f"\nruff still reports {len(left)} diagnostic(s), none of them new:\n"
                     + _indent("\n".join(left), 10))  # fmt: skip
            if result.provider_error:
                text += f"\nthe rest needs a model, and no model answered: {result.provider_error}"
        return text
    if result.status == "clean":
        return f"{result.rel_path}: {result.message}"
    if result.status == "test_setup":
        return f"cannot fix {result.rel_path}: {result.message}"
    lines = []
    if result.status == "partial":
        lines.append(
            f"applied ruff's safe fixes to {result.rel_path} (compiles, no new diagnostics, "
            "tests no worse) — the remaining problems need a model."
        )
    if result.provider_error:
        lines.append(f"no answer from the model: {result.provider_error}")
    elif result.status == "prompt_too_big":  # the model is reachable: its window is too small
        lines.append(result.message)
    elif result.status == "cancelled":
        lines.append(f"fix cancelled ({result.message or 'by the user'}).")
    elif result.status == "timeout":
        lines.append(f"no validated fix within the budget: {result.message} "
                     "(raise agentfix.timeout / --timeout).")  # fmt: skip
    elif result.status == "no_fix":
        lines.append(f"no validated fix after {result.rounds} round(s) and {n} candidate(s); "
                     f"{result.rel_path} was left unchanged.")  # fmt: skip
        if result.rounds and not any(c.from_model for c in result.candidates):
            lines.append("the model answered, but never with code to try (no ```python "
                         "block in its answers) — try another model")  # fmt: skip
    if result.best and result.best.verdict and result.status != "partial":
        failure = result.best.verdict.first_failure
        if failure:
            lines.append(f"best attempt #{result.best.id} ({result.best.origin}) failed "
                         f"{failure.name}: {failure.summary}")  # fmt: skip
            if failure.name == "tests":
                lines.append(_indent(trim_test_output(failure.output), 12))
            elif failure.output:
                lines.append(_indent(failure.output, 12))
    return "\n".join(lines)


def _how(best: Candidate) -> str:
    """Who made the fix, in words."""
    if best.from_model:
        return best.origin.removeprefix("model:")
    if best.origin == "ruff":
        return "ruff's safe fixes"
    codes = best.origin.removeprefix("ruff:").replace(",", ", ")
    return f"ruff's unsafe fix for {codes}"  # the tests vouch for it


def _indent(text: str, max_lines: int) -> str:
    return "\n".join("    " + line for line in text.splitlines()[:max_lines])


def _trust_notes(settings: Settings, root: Path, unsandboxed: bool) -> list[str]:
    """Said in every result: project settings left out, and tests run without a sandbox."""
    notes = []
    if settings.ignored_project_keys:
        keys = ", ".join(k.replace("_", "-") for k in settings.ignored_project_keys)
        notes.append(
            f"[tool.agentfix] in {root / 'pyproject.toml'} sets {keys}, which run commands, "
            "weaken isolation or choose where code is sent; they were ignored because you "
            f"have not trusted this project — read them, then run `agentfix trust {root}`, "
            "or set them in your own settings"
        )
    if unsandboxed:
        notes.append(
            "the tests ran WITHOUT a sandbox (sandbox = 'none', or bubblewrap does not work "
            "here): candidates' code could reach your files, network and services — install "
            "bubblewrap and set agentfix.sandbox to 'auto'"
        )
    return notes
