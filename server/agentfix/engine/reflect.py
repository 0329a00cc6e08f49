"""The feedback node: the last round's best failing attempt, its change and what failed,
told to the model in the next round (aider's lint/test reflection)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from langgraph.runtime import Runtime

from agentfix.engine.context import Context
from agentfix.engine.prompt import feedback_text
from agentfix.engine.select import best_attempt
from agentfix.engine.state import FixState
from agentfix.engine.test_focus import focus
from agentfix.source.line_diff import unified


def feedback(state: FixState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Feed back the best failing candidate of the last round: its change and what failed."""
    ctx = runtime.context
    latest = [c for c in state["tried"] if c.round == state["round"]]
    best = best_attempt(latest, model_only=True)
    if best is None or best.verdict is None:
        return {"feedback": None}
    verdict = best.verdict
    diff = unified(state["base"], best.text, ctx.rel_path, context=2)
    text = feedback_text(best.id, diff, verdict, [str(d) for d in verdict.lint_left])
    failure = verdict.first_failure
    if failure and failure.name == "tests":
        found = focus(failure.output, ctx.root, ctx.rel_path, best.text)
        new = tuple(s for s in found.sources if s not in state["problems"])
        if new:
            text += "\n" + replace(found, sources=new, names=()).describe(ctx.rel_path)
    event = ctx.event("feedback", round=state["round"], candidate=best.id, text=text)
    return {"feedback": text, "log": [event]}
