"""``agentfix runs``: the recorded fixes, newest first, or one of them step by step.

    agentfix runs [--json] [--file PATH] [--limit N]
    agentfix runs show [ID | last] [--file PATH]

The record is LangGraph's checkpoints of each fix (``engine.record``); this module only
parses the command and prints, and imports the engine when it runs, not when the CLI
starts.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

from agentfix.errors import AgentfixError


def add_parser(sub: Any) -> None:
    """``runs`` and ``runs show`` in the CLI's subcommands."""
    runs = sub.add_parser(
        "runs",
        help="list recorded fixes, or show one step by step (runs show ID|last)",
        description="Every fix is recorded step by step in the user's cache folder "
        "($AGENTFIX_CACHE_DIR, $XDG_CACHE_HOME/agentfix or ~/.cache/agentfix) unless the "
        "recordRuns setting is off; the oldest runs are pruned.",
    )
    runs.add_argument("--json", action="store_true", help="print the list as JSON")
    runs.add_argument("--file", type=Path, help="only the runs of this file")
    runs.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    shows = runs.add_subparsers(dest="runs_command")
    show = shows.add_parser("show", help="print every step of a run, like a test log")
    show.add_argument("id", nargs="?", default="last", help="a run's id (or its start), or last")
    show.add_argument("--file", type=Path, default=argparse.SUPPRESS,
                      help="the runs of this file only (show last: its last run)")  # fmt: skip


def cmd_runs(args: argparse.Namespace) -> int:
    from agentfix.engine import record
    from agentfix.project import opened

    file = opened(args.file) if args.file else None
    db = record.database()
    try:
        if args.runs_command == "show":
            print(show_text(args.id, file, db)[1], end="")
            return 0
        rows = record.runs(db, file, limit=max(args.limit, 1))
    except sqlite3.Error as exc:
        raise AgentfixError(
            f"cannot read the record of runs in {db} ({exc}); remove that file to start anew"
        ) from exc
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2))
    elif not rows:
        print(f"agentfix: no recorded runs{f' of {file}' if file else ''} in {db}",
              file=sys.stderr)  # fmt: skip
    else:
        print(f"{'ID':<22}  {'STARTED':<19}  {'STATUS':<14}  ROUNDS  SECONDS  FILE")
        for r in rows:
            took = f"{r.seconds:.1f}" if r.seconds is not None else "-"
            print(f"{r.id:<22}  {r.when:<19}  {r.status:<14}  {r.rounds:>6}  {took:>7}  {r.file}")
    return 0


def show_text(key: str, file: Path | None = None, db: Path | None = None) -> tuple[str, str]:
    """A run's id and the run step by step (``last``: the newest, of ``file`` when given);
    raises ``AgentfixError`` when there is none."""
    from agentfix.engine import record
    from agentfix.engine.record_view import render, steps

    row = record.find(key, db, file)
    if row is None:
        of = f" of {file}" if file else ""
        what = "no run is recorded" if key == "last" else f"no single recorded run {key!r}"
        raise AgentfixError(f"{what}{of} — `agentfix runs` lists the recorded runs")
    return row.id, render(row, steps(row.id, db))
