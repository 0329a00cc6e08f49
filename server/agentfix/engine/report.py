"""The user-facing report of a fix: the one message that says what was fixed, or
precisely why nothing was, and the notes said with every result."""

from __future__ import annotations

from pathlib import Path

from agentfix.engine.candidate import Maker
from agentfix.engine.feedback import trim_test_output
from agentfix.engine.request import FixResult, Status
from agentfix.settings import Settings
from agentfix.validators.verdict import CheckName, CheckStatus, Verdict


def keep_partial(result: FixResult) -> None:
    """Keep ruff's deterministic fix when it removes lint and the tests are no worse."""
    ruff = next(
        (c for c in result.candidates if c.origin.maker is Maker.RUFF_SAFE and c.verdict), None
    )
    original = result.original_verdict
    if ruff is None or original is None or ruff.verdict is None:
        return
    if not ruff.verdict.passed(CheckName.COMPILE, CheckName.RUFF):
        return
    before, after = original.get(CheckName.TESTS), ruff.verdict.get(CheckName.TESTS)
    if before and after and before.status != after.status:
        return
    if before and after and after.details.get("failed", 0) > before.details.get("failed", 0):
        return
    result.status, result.fixed, result.best = Status.PARTIAL, ruff.text, ruff


def explain(result: FixResult) -> str:
    """The one message a user reads: what was fixed, or precisely why nothing was."""
    n = len([c for c in result.candidates if c.duplicate_of is None])
    if result.status == Status.FIXED and result.best:
        how = result.best.origin.describe()
        verdict: Verdict = result.best.verdict  # type: ignore[assignment]
        checks = ", ".join(
            c.summary if c.summary.startswith(c.name) else f"{c.name} {c.summary}"
            for c in verdict.checks
            if c.status == CheckStatus.PASS
        )
        text = (f"fixed {result.rel_path} with {how} (candidate #{result.best.id} of {n}, "
                f"{result.rounds} model round(s)); validated: {checks}")  # fmt: skip
        left = verdict.lint_left
        if left:
            text += (f"\nruff still reports {len(left)} diagnostic(s), none of them new:\n"
                     + _indent("\n".join(map(str, left)), 10))  # fmt: skip
            if result.provider_error:
                text += f"\nthe rest needs a model, and no model answered: {result.provider_error}"
        return text
    if result.status == Status.CLEAN:
        return f"{result.rel_path}: {result.message}"
    if result.status == Status.TEST_SETUP:
        return f"cannot fix {result.rel_path}: {result.message}"
    lines = []
    if result.status == Status.PARTIAL:
        lines.append(
            f"applied ruff's safe fixes to {result.rel_path} (compiles, no new diagnostics, "
            "tests no worse) — the remaining problems need a model."
        )
    if result.provider_error:
        lines.append(f"no answer from the model: {result.provider_error}")
    elif result.status == Status.PROMPT_TOO_BIG:  # the model is reachable: its window is too small
        lines.append(result.message)
    elif result.status == Status.CANCELLED:
        lines.append(f"fix cancelled ({result.message or 'by the user'}); {result.rel_path} "
                     "was left unchanged.")  # fmt: skip
    elif result.status == Status.TIMEOUT:
        lines.append(f"no validated fix within the budget: {result.message} "
                     "(raise agentfix.timeout / --timeout).")  # fmt: skip
    elif result.status == Status.NO_FIX:
        lines.append(f"no validated fix after {result.rounds} round(s) and {n} candidate(s); "
                     f"{result.rel_path} was left unchanged.")  # fmt: skip
        if result.rounds and not any(c.from_model for c in result.candidates):
            lines.append("the model answered, but never with code to try (no ```python "
                         "block in its answers) — try another model")  # fmt: skip
    if result.best and result.best.verdict and result.status != Status.PARTIAL:
        failure = result.best.verdict.first_failure
        if failure:
            lines.append(f"best attempt #{result.best.id} ({result.best.origin}) failed "
                         f"{failure.name}: {failure.summary}")  # fmt: skip
            if failure.name == "tests":
                lines.append(_indent(trim_test_output(failure.output), 12))
            elif failure.output:
                lines.append(_indent(failure.output, 12))
    return "\n".join(lines)


def _indent(text: str, max_lines: int) -> str:
    return "\n".join("    " + line for line in text.splitlines()[:max_lines])


def trust_notes(settings: Settings, root: Path, unsandboxed: bool) -> list[str]:
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
