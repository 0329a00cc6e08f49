"""The self-correcting loop as a LangGraph ``StateGraph``.

    baseline ─▶ validate (ruff's deterministic fix) ─▶ decide
    decide ─▶ connect ─▶ generate ─▶ validate ─▶ decide ─▶ feedback ─▶ generate ...
    decide ─▶ generate for the next batch of a round (one-request-at-a-time servers)
    decide ─▶ END on success, round cap (after the fallback model), budget or cancellation

Nodes are functions of the state and the run's ``Context`` (LangGraph's ``Runtime``); they
return updates and never change the context. Routing is decided from the state: by pure
edge functions, and by ``decide``'s ``Command``.
"""

from __future__ import annotations

import time
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command

from agentfix.cancel import unless_stopped
from agentfix.engine import fit
from agentfix.engine.baseline import baseline
from agentfix.engine.check import validate
from agentfix.engine.context import Context, provider_for, validator_for
from agentfix.engine.propose import generate
from agentfix.engine.reflect import feedback
from agentfix.engine.request import Status
from agentfix.engine.select import finishes
from agentfix.engine.state import FixState, Route, next_model
from agentfix.errors import Cancelled, ProviderError
from agentfix.providers.base import Provider
from agentfix.providers.context import Window


def connect(state: FixState, runtime: Runtime[Context]) -> dict[str, Any]:
    """Health-check the provider before its first round; failures end the run clearly. Then
    learn the model's context window, where the server tells it (see ``fit``)."""
    ctx = runtime.context
    provider = provider_for(ctx, state)
    ctx.say(f"connecting to {provider.name} at {provider.base_url} (model {provider.model})")
    start = time.monotonic()
    log = []
    try:
        if window := unless_stopped(lambda: _check(provider), ctx.token):
            log.append(ctx.event("context_window", model=provider.model, tokens=window.tokens,
                                 source=window.source))  # fmt: skip
    except Cancelled:
        return {**(stopped(ctx) or {}), "timings": {"health_check": time.monotonic() - start}}
    except ProviderError as exc:
        return {"status": Status.PROVIDER_ERROR, "provider_error": str(exc), "message": str(exc),
                "log": [ctx.event("provider_error", error=str(exc))],
                "timings": {"health_check": time.monotonic() - start}}  # fmt: skip
    return {"connected": True, "log": log, "timings": {"health_check": time.monotonic() - start}}


def _check(provider: Provider) -> Window | None:
    provider.check()
    return fit.window(provider)


def stopped(ctx: Context) -> dict[str, Any] | None:
    """The end of a cancelled fix or one out of budget; None while it may go on."""
    if ctx.token.cancelled:
        return {"status": Status.CANCELLED, "message": ctx.token.reason}
    if ctx.token.stopped:
        budget = f"the wall-clock budget of {ctx.settings.timeout:.0f}s ran out"
        return {"status": Status.TIMEOUT, "message": budget}
    return None


def decide(state: FixState, runtime: Runtime[Context]) -> Command[Any]:
    """Explicit exits: success, cancellation, budget, round cap (then fallback model);
    otherwise the next batch of the round, or feedback and the next round."""
    ctx = runtime.context
    validator = validator_for(ctx, state)
    if any(finishes(ctx.request, validator, state["original"], c) for c in state["tried"]):
        return Command(update={"status": Status.FIXED}, goto=END)
    if state["status"]:
        return Command(goto=END)
    if end := stopped(ctx):
        return Command(update=end, goto=END)
    if not state["connected"]:
        return Command(goto=Route.CONNECT.value)
    if 0 < state["asked"] < ctx.settings.candidates:
        return Command(goto=Route.GENERATE.value)  # the rest of this round, same prompts
    if state["round"] >= ctx.settings.max_rounds:
        fallback = ctx.settings.fallback_model
        if fallback and not state["fallback_used"] and fallback != state["model"]:
            ctx.say(f"{state['model']} found no validated fix; trying fallback model {fallback}")
            update = {**next_model(state, fallback), "fallback_used": True}
            return Command(update=update, goto=Route.CONNECT.value)
        return Command(update={"status": Status.NO_FIX}, goto=END)
    return Command(goto=Route.FEEDBACK.value)


def _after_baseline(state: FixState) -> str:
    if state["status"]:
        return END
    return "validate" if state["pending"] else Route.CONNECT.value


def _after_connect(state: FixState) -> str:
    return END if state["status"] else Route.GENERATE.value


def build_graph(checkpointer: BaseCheckpointSaver[Any] | None = None) -> Any:
    """Compile the graph; a run passes its ``Context`` as ``context=`` to ``invoke``."""
    graph = StateGraph(FixState, context_schema=Context)
    graph.add_node("baseline", baseline)
    graph.add_node(Route.CONNECT.value, connect)
    graph.add_node(Route.GENERATE.value, generate)
    graph.add_node("validate", validate)
    graph.add_node(
        "decide",
        decide,
        destinations=(Route.CONNECT.value, Route.GENERATE.value, Route.FEEDBACK.value, END),
    )
    graph.add_node(Route.FEEDBACK.value, feedback)
    graph.add_edge(START, "baseline")
    graph.add_conditional_edges("baseline", _after_baseline, ["validate", Route.CONNECT.value, END])
    graph.add_conditional_edges(Route.CONNECT.value, _after_connect, [Route.GENERATE.value, END])
    graph.add_edge(Route.GENERATE.value, "validate")
    graph.add_edge("validate", "decide")
    graph.add_edge(Route.FEEDBACK.value, Route.GENERATE.value)
    return graph.compile(checkpointer=checkpointer)
