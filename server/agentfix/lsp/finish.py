"""The work around a fix that must not run on the server's event loop.

A fix's summary diffs every candidate against the file, its trace serialises every prompt
and answer, and its edits are a character diff of the whole file: on a 150 KB file that
is hundreds of milliseconds, during which no request of the editor (a code action, a
keystroke's didChange) would be answered. So the worker thread that ran the fix also does
all of that, and hands the event loop a ``Finished``: the result, the edits and the log
line, ready to send. Re-basing the edits onto a buffer the user changed is a diff too; it
goes to a thread as well (``documents.plan_edits``).

The full trace (prompts, answers, every candidate's text: megabytes on a large file) is
written to a file, and the log line names it: a message that large, written to stdout,
would hold the event loop until the editor has read it all.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from agentfix.cache import ensure_cache_dir
from agentfix.engine.request import FixRequest, FixResult
from agentfix.lsp.text_edits import Encoding, minimal_edits
from agentfix.project import Project, discover, opened
from agentfix.settings import Settings
from agentfix.trace import Trace
from agentfix.validators.ruff_tool import note_ruff

KEEP_TRACES = 20  # newest trace files kept per user


@dataclass(frozen=True)
class Finished:
    """A fix's result with what the event loop sends of it, all computed off the loop."""

    result: FixResult
    edits: tuple[types.TextEdit, ...] | None  # base text -> fixed text, when there is a fix
    log: str


def run_and_finish(
    request: FixRequest,
    settings: Settings,
    encoding: Encoding,
    trace: Trace,
    run: Callable[[Project], FixResult],
) -> Finished:
    """In the worker thread: find the project (once), say which ruff checks it, run the
    fix, and prepare everything the event loop will send."""
    project = discover(opened(request.path), settings.python, settings.test_command)
    note_ruff(project, trace)
    return finish(run(project), request.source, encoding, trace)


def finish(result: FixResult, base_text: str, encoding: Encoding, trace: Trace) -> Finished:
    """The edits of a fix and its log line: the diffs happen here, not on the loop."""
    edits = None
    if result.status == "fixed" and result.fixed is not None:
        edits = tuple(minimal_edits(base_text, result.fixed, encoding))
    summary = result.to_json()
    log = f"agentfix trace of {result.path.name}: " + json.dumps(summary, default=str)
    written = write_trace(result.path.name, summary, trace)
    if written is not None:
        log += f"\nfull trace (prompts, answers, candidates): {written}"
    return Finished(result, edits, log)


def trace_folder() -> Path:
    """The user's private folder for the traces of the language server's fixes."""
    folder = ensure_cache_dir() / "traces"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def write_trace(name: str, summary: dict[str, object], trace: Trace) -> Path | None:
    """Write the whole run as JSON; keep the newest ``KEEP_TRACES``. None when it cannot."""
    try:
        folder = trace_folder()
        path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}-{name}.json"
        trace.write(path, summary)
        for old in sorted(folder.glob("*.json"), key=_mtime)[:-KEEP_TRACES]:
            old.unlink(missing_ok=True)
    except OSError:
        return None
    return path


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
