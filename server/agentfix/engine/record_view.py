"""A recorded run, step by step, as plain text (``agentfix runs show``, the editor's
"Show last run of this file").

Each step of LangGraph's state history reads like a test log: its number, the node that
ran, how long it took, what it changed in the state (keys and short values), then what
happened in it in full: the prompts and answers (the ``answer`` events of the state's
log), every candidate it validated with each check's output, the feedback of a round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.sqlite import SqliteSaver

from agentfix.engine.record import RunRow, reader
from agentfix.engine.record_serde import RecordSerde
from agentfix.source.line_diff import unified

SHORT = 60  # a value longer than this is said by its size
GROWING = ("tried", "log", "notes", "timings")  # reducers: a step adds to them


@dataclass(frozen=True)
class Step:
    """One step of a recorded run: the node that ran, the state around it, its update."""

    number: int
    node: str
    before: dict[str, Any]
    update: dict[str, Any]
    after: dict[str, Any]
    at: float  # seconds since the run started
    seconds: float | None  # how long it ran (None: unknown, the run stopped in it)


def steps(run_id: str, db: Path | None = None) -> list[Step]:
    """The run's steps in order, from LangGraph's state history of its thread."""
    from agentfix.engine.graph import build_graph  # the whole engine: only to read a record

    conn = reader(db)
    if conn is None:
        return []
    with closing(conn):
        graph = build_graph(SqliteSaver(conn, serde=RecordSerde()))
        config: RunnableConfig = {"configurable": {"thread_id": run_id}}
        history = list(graph.get_state_history(config))[::-1]
    times = [datetime.fromisoformat(s.created_at).timestamp() if s.created_at else 0.0
             for s in history]  # fmt: skip
    found = []
    for i, snap in enumerate(history):
        after = history[i + 1].values if i + 1 < len(history) else snap.values
        took = times[i + 1] - times[i] if i + 1 < len(history) else None
        number = (snap.metadata or {}).get("step", i - 1)
        for task in snap.tasks:
            if task.name != "__start__":
                found.append(Step(number, task.name, dict(snap.values), dict(task.result or {}),
                                  dict(after), times[i] - times[0], took))  # fmt: skip
    return found


def render(row: RunRow, found: list[Step]) -> str:
    """The whole run as text."""
    models = ", ".join(row.models) or "-"
    seconds = f"{row.seconds:.2f}s" if row.seconds is not None else "-"
    best = f"#{row.best}" if row.best is not None else "none"
    lines = [
        f"agentfix run {row.id}",
        f"file:    {row.file}",
        f"project: {row.root}",
        f"started: {row.when}   status: {row.status}   rounds: {row.rounds}   "
        f"models: {models}   took: {seconds}   best candidate: {best}",
    ]
    if not found:
        lines.append("\n(no steps recorded)")
    for i, step in enumerate(found):
        then = found[i + 1].node if i + 1 < len(found) else "end"
        lines += ["", *_step(step, then, Path(row.file).name)]
    return "\n".join(lines) + "\n"


def _step(step: Step, then: str, name: str) -> Iterator[str]:
    took = f"{step.seconds:.2f}s" if step.seconds is not None else "did not finish"
    yield f"=== step {step.number}: {step.node}  ({took}, at +{step.at:.2f}s; then {then}) ==="
    update = step.update
    changes = [(k, _change(k, step.before.get(k), v)) for k, v in update.items()]
    shown = [f"  {key}: {change}" for key, change in changes if change]
    yield from shown or ["  (no change)"]
    if update.get("original") is not None:
        yield "  the original's checks:"
        yield from _checks(update["original"], "    ")
    for event in update.get("log") or []:
        yield from _event(event)
    for cand in update.get("pending") or []:
        yield f"  candidate #{cand.id} ({cand.origin}, round {cand.round}, {cand.merge}):"
        diff = unified(step.after.get("base") or step.before.get("base") or "", cand.text, name)
        yield from _indent(diff or "(same as the base)", "    ")
    for cand in update.get("tried") or []:
        yield from _candidate(cand)


def _change(key: str, old: Any, new: Any) -> str:
    """What a step did to one key; "" when nothing (a value written again as it was)."""
    if key == "timings":
        return ", ".join(f"+{k} {v:.2f}s" for k, v in new.items())
    if key in GROWING and isinstance(new, list):
        return "+" + ", ".join(_short(v) for v in new) if new else ""
    return "" if old == new else f"{_short(old)} -> {_short(new)}"


def _short(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        if "\n" in value.strip() or len(value) > SHORT:
            return f"<{len(value.splitlines())} lines, {len(value)} chars>"
        return repr(value)
    if isinstance(value, list | tuple):
        if sum(len(_short(v)) for v in value) > SHORT:
            return f"[{len(value)} items]"
        return "[" + ", ".join(_short(v) for v in value) + "]"
    kind = type(value).__name__
    if kind == "Candidate":
        return f"#{value.id} {value.origin}"
    if kind == "Event":
        return str(value.kind)
    if kind == "Verdict":
        return " ".join(f"{c.name}:{c.status}" for c in value.checks)
    if kind == "TestBaselines":
        return f"tests {value.check.status}: {value.check.summary}"
    if dataclasses.is_dataclass(value) or isinstance(value, dict):
        return f"<{kind}>"
    return repr(value)


def _event(event: Any) -> Iterator[str]:
    data = dict(getattr(event, "data", {}) or {})
    kind = getattr(event, "kind", "?")
    at = f"+{getattr(event, 'at', 0.0):.2f}s"
    if kind == "answer":
        estimate = data.get("prompt_tokens_estimate")
        yield (f"  prompt ({at}) to {data.get('model')}, round {data.get('round')}, "
               f"temperature {data.get('temperature')}, ~{estimate} tokens:")  # fmt: skip
        for message in data.get("prompt") or []:
            yield f"    [{message.get('role')}]"
            yield from _indent(str(message.get("content", "")), "      ")
        costs = [f"{data.get('seconds') or 0:.2f}s"]
        if data.get("first_token_s") is not None:
            costs.append(f"first token after {data['first_token_s']:.2f}s")
        if data.get("prompt_tokens") is not None:
            costs.append(f"{data['prompt_tokens']} prompt tokens")
        yield f"  answer ({', '.join(costs)}):"
        yield from _indent(data.get("text") or "", "      ")
        if data.get("error"):
            yield f"    error: {data['error']}"
    elif kind == "feedback":
        yield f"  feedback for the next round (from candidate #{data.get('candidate')}):"
        yield from _indent(str(data.get("text", "")), "      ")
    elif kind not in ("verdict", "baseline"):  # those are the candidates' and original's checks
        shown = ", ".join(f"{k}={_short(v)}" for k, v in data.items())
        yield f"  event {kind} ({at}): {shown}"


def _candidate(cand: Any) -> Iterator[str]:
    if cand.duplicate_of is not None:
        yield f"  candidate #{cand.id} ({cand.origin}): a repeat of #{cand.duplicate_of}"
        return
    verdict = cand.verdict
    outcome = "VALIDATED" if verdict is not None and verdict.validated else "FAILED"
    yield f"  candidate #{cand.id} ({cand.origin}): {outcome} in {cand.validate_seconds:.2f}s"
    if verdict is not None:
        yield from _checks(verdict, "    ")


def _checks(verdict: Any, pad: str) -> Iterator[str]:
    for check in verdict.checks:
        yield f"{pad}[{check.status}] {check.name}: {check.summary} ({check.seconds:.2f}s)"
        if check.output.strip():
            yield from _indent(check.output, pad + "  | ")


def _indent(text: str, pad: str) -> Iterator[str]:
    for line in text.rstrip("\n").splitlines() or [""]:
        yield (pad + line).rstrip()
