"""Selection and stop rules: when a candidate ends the run, which validated candidate wins,
and which failed attempt is the best to show. Pure functions of candidates and the request,
so they are tested directly with hand-built verdicts."""

from __future__ import annotations

from collections.abc import Sequence

from agentfix.engine.candidate import Candidate, Maker, changed_lines
from agentfix.engine.request import FixRequest
from agentfix.validators.pipeline import Validator
from agentfix.validators.verdict import Check, CheckName, CheckStatus, Verdict


def remaining_lint(cand: Candidate) -> int:
    """Ruff diagnostics still in a candidate (0 when ruff did not run)."""
    return int(cand.verdict.lint_count) if cand.verdict else 0


def only_lint_targets(request: FixRequest, validator: Validator) -> bool:
    """Whether every diagnostic the editor pointed at is one ruff reports on the original
    (so ruff's own fix can settle it); true when the whole file is the target."""
    codes = {d.code for d in validator.original_diagnostics}
    return all(target.code in codes for target in request.targets)


def finishes(
    request: FixRequest, validator: Validator, original: Verdict | None, cand: Candidate
) -> bool:
    """A validated candidate ends the run when no lint is left, or when it is the model's fix
    of a failing original (lint the file already had may stay). A lint-only target goes on
    until the lint is gone or the rounds run out; the least lint then wins (``smallest``)."""
    if not cand.validated or cand.duplicate_of is not None:
        return False
    if not cand.from_model and not only_lint_targets(request, validator):
        return False  # the editor asked about a diagnostic ruff does not report: ask the model
    if remaining_lint(cand) == 0:
        return True
    return (
        cand.origin.maker is not Maker.RUFF_SAFE and original is not None and not original.validated
    )


def rank(request: FixRequest, validator: Validator, cand: Candidate) -> tuple[bool, int, int, int]:
    """Order of preference among candidates that pass: the least lint left, then the
    smallest change; a model's fix before ruff's when the editor pointed at a diagnostic
    that is not ruff's."""
    model_first = not only_lint_targets(request, validator)
    return (
        model_first and not cand.from_model,
        remaining_lint(cand),
        changed_lines(request.source, cand.text),
        cand.id,
    )


def smallest(
    request: FixRequest, validator: Validator, candidates: Sequence[Candidate]
) -> Candidate | None:
    """The validated candidate to apply (see ``rank``)."""
    valid = [c for c in candidates if c.validated and c.duplicate_of is None]
    return min(valid, key=lambda c: rank(request, validator, c), default=None)


def best_attempt(candidates: Sequence[Candidate], *, model_only: bool = False) -> Candidate | None:
    """The failed attempt that got furthest (the first of equals): the one reported, and
    the one fed back. ``model_only``: among the model's, when there are any."""
    real = [c for c in candidates if c.verdict and c.duplicate_of is None]
    if model_only and any(c.from_model for c in real):
        real = [c for c in real if c.from_model]
    return max(real, key=lambda c: (c.verdict.stage_score(), -c.id), default=None)  # type: ignore[union-attr]


def with_improvement(request: FixRequest, original: Verdict | None, verdict: Verdict) -> Verdict:
    """A candidate that passes every check must also improve on the original."""
    if not verdict.validated or original is None:
        return verdict
    before = original.lint_count
    after = verdict.lint_count
    if not original.validated or after < before or request.targets:
        return verdict
    why = "changes nothing that was failing: the original already passes these checks"
    check = Check(CheckName.IMPROVES, CheckStatus.FAIL, why)
    return Verdict((*verdict.checks, check))
