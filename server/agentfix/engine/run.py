"""Entry point of the engine: one call that fixes one file and explains the outcome."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from agentfix.cancel import CancelToken
from agentfix.engine import record
from agentfix.engine.candidate import Candidate
from agentfix.engine.context import Context, validator_for
from agentfix.engine.graph import build_graph
from agentfix.engine.report import explain, keep_partial, trust_notes
from agentfix.engine.request import FixRequest, FixResult, Status
from agentfix.engine.select import best_attempt, smallest
from agentfix.engine.state import FixState, initial_state
from agentfix.progress import ProgressSink, ignore_progress
from agentfix.project import Project, discover, opened
from agentfix.providers.base import Provider
from agentfix.settings import Settings
from agentfix.source.text_form import TextForm
from agentfix.trace import Trace
from agentfix.validators.pipeline import Validator
from agentfix.validators.ruff import ruff_diagnostics
from agentfix.validators.sandbox import isolation_for
from agentfix.validators.sandbox_limits import Limits
from agentfix.validators.tests import TestRunner
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
    project: Project | None = None,
) -> FixResult:
    """Fix ``request.path``; never writes any file. ``allow_partial`` (demo) keeps ruff's
    lint fix when no model can be reached and the tests are no worse for it;
    ``parallel_validation=False`` checks candidates one at a time (for benchmarks);
    ``project``: as the entry point already discovered it (else found here)."""
    form, plain = TextForm.of(request.source)
    if not form.plain:  # a BOM or CRLF: fixed as plain text, written back in its own form
        result = run_fix(
            replace(request, source=plain), settings, provider, token=token,
            progress=progress, trace=trace, allow_partial=allow_partial,
            parallel_validation=parallel_validation, project=project,
        )  # fmt: skip
        result.original = request.source
        result.fixed = form.apply(result.fixed) if result.fixed is not None else None
        return result
    started = time.monotonic()
    token = token or CancelToken(settings.timeout)
    trace = trace or Trace()
    path = opened(request.path)
    project = project or discover(path, settings.python, settings.test_command)
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
    notes = [project.interpreter.reason] if project.interpreter.fallback and runner else []
    notes += trust_notes(settings, project.root, runner is not None and not isolation.bwrap)
    start = initial_state(provider.model, notes)
    if runner is not None:
        start["timings"] = {"snapshot_list": runner.snapshot.list_seconds}
    recording = record.start(settings, path, project.root)  # never raises
    try:  # a run that raises, here or in the graph, is closed in the record as such
        with (
            ThreadPoolExecutor(workers, thread_name_prefix="agentfix-gen") as pool,
            ThreadPoolExecutor(checkers, thread_name_prefix="agentfix-check") as checks,
        ):
            reason = project.interpreter.reason
            ctx = Context(request, path, project.root, rel_path, settings, provider, validator,
                          pool, checks, token, progress, reason, started)  # fmt: skip
            state: FixState = build_graph(recording.saver).invoke(
                start,
                {"recursion_limit": 10 + (3 * settings.candidates + 4) * settings.max_rounds * 2,
                 **recording.config},
                context=ctx,
            )  # fmt: skip
        timings = {**state["timings"], "total": time.monotonic() - started}
        trace.extend(e.to_json() for e in state["log"])
        tried: list[Candidate] = state["tried"]
        final = validator_for(ctx, state)
        best = smallest(request, final, tried)
        result = FixResult(
            status=state["status"] or Status.NO_FIX,
            message=state["message"],
            path=path,
            rel_path=rel_path,
            original=request.source,
            candidates=tried,
            original_verdict=state["original"],
            rounds=state["total_rounds"],
            models=[provider.model]
            + (
                [settings.fallback_model]
                if state["fallback_used"] and settings.fallback_model
                else []
            ),
            timings=timings,
            isolation=isolation.describe(),
            test_command=project.test_command,
            provider_error=state["provider_error"],
        )
        if best is not None:
            result.status, result.fixed, result.best = Status.FIXED, best.text, best
        else:
            result.best = best_attempt(tried)
            if allow_partial:
                keep_partial(result)
    except BaseException as exc:
        recording.abandon(exc)
        raise
    notes = [*state["notes"], *recording.finish(result)]
    result.message = "\n".join([explain(result), *(f"note: {n}" for n in notes)])
    trace.add("result", status=result.status, message=result.message)
    return result
