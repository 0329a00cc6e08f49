"""Each fix kept to be stepped through afterwards, with LangGraph's own checkpoints.

``run_fix`` starts a ``Recording``: a ``SqliteSaver`` on ``<cache>/runs.sqlite`` (see
``agentfix.cache``) saves the graph state after every step under the run's id as the
thread id, and a row of ``agentfix_runs`` in the same database sums the run up for
listing. The oldest runs are pruned as a run starts (``Bounds``). A store that fails
(disk full, locked by another process, not a database) never fails a fix: the fix goes
on unrecorded and its result says so, once. Off with the ``recordRuns`` setting.
``agentfix runs`` and the editor read it back (``runs``, ``find``, ``record_view``).
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.sqlite import SqliteSaver

from agentfix.cache import cache_dir, ensure_cache_dir
from agentfix.engine.record_serde import RecordSerde, secrets_of
from agentfix.engine.request import FixResult
from agentfix.settings import Settings

DATABASE = "runs.sqlite"
BUSY_S = 2.0  # how long a write waits for another process's
RUNS = """CREATE TABLE IF NOT EXISTS agentfix_runs (
    id TEXT PRIMARY KEY, started REAL NOT NULL, file TEXT NOT NULL, root TEXT NOT NULL,
    status TEXT NOT NULL, rounds INTEGER NOT NULL DEFAULT 0, models TEXT NOT NULL DEFAULT '[]',
    seconds REAL, best INTEGER)"""
COLUMNS = "id, started, file, root, status, rounds, models, seconds, best"


@dataclass(frozen=True)
class Bounds:
    """What the record keeps: at most ``runs`` runs, ``megabytes`` of them, ``days`` old."""

    runs: int = 100
    megabytes: float = 200.0
    days: float = 30.0


BOUNDS = Bounds()


@dataclass(frozen=True)
class RunRow:
    """One run as ``agentfix runs`` lists it; ``status`` is "running" until it ends."""

    id: str
    started: float  # time.time()
    file: str
    root: str
    status: str
    rounds: int
    models: tuple[str, ...]
    seconds: float | None
    best: int | None

    @classmethod
    def of(cls, row: Sequence[Any]) -> RunRow:
        models = tuple(json.loads(row[6] or "[]"))
        return cls(row[0], row[1], row[2], row[3], row[4], row[5], models, row[7], row[8])

    @property
    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started))

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "started": self.when, "file": self.file, "root": self.root,
                "status": self.status, "rounds": self.rounds, "models": list(self.models),
                "seconds": self.seconds, "best_candidate": self.best}  # fmt: skip


def database(folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / DATABASE


class _Saver(SqliteSaver):
    """A ``SqliteSaver`` whose failures end the record, never the run."""

    failure: str | None = None

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        if self.failure is None:
            try:
                return super().put(config, checkpoint, metadata, new_versions)
            except Exception as exc:  # a full disk, a lock, a value it cannot write
                self.failure = _cause(exc)
        ns = config["configurable"].get("checkpoint_ns", "")
        thread = config["configurable"]["thread_id"]
        return {"configurable": {"thread_id": thread, "checkpoint_ns": ns,
                                 "checkpoint_id": checkpoint["id"]}}  # fmt: skip

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str,
        task_path: str = "",
    ) -> None:  # fmt: skip
        if self.failure is None:
            try:
                super().put_writes(config, writes, task_id, task_path)
            except Exception as exc:
                self.failure = _cause(exc)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        if self.failure is None:
            try:
                return super().get_tuple(config)
            except Exception as exc:
                self.failure = _cause(exc)
        return None


def _cause(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@dataclass
class Recording:
    """One run's record. ``saver`` is None when nothing is recorded; ``failure`` says why
    when that was not the user's choice."""

    run_id: str
    path: Path | None = None
    saver: _Saver | None = None
    failure: str | None = None
    _conn: sqlite3.Connection | None = field(default=None, repr=False)

    @property
    def config(self) -> dict[str, Any]:
        """What ``invoke``'s config needs to record: the run's id as the thread."""
        return {"configurable": {"thread_id": self.run_id}} if self.saver else {}

    def abandon(self, exc: BaseException) -> None:
        """A run that raised (or was interrupted): listed as such, and closed; never raises."""
        if self._conn is None:
            return
        try:
            with self._conn:
                self._conn.execute(
                    "UPDATE agentfix_runs SET status=? WHERE id=?",
                    (f"error: {type(exc).__name__}", self.run_id),
                )
        except Exception:  # the record is best effort; the error that matters is exc
            pass
        finally:
            self._conn.close()
            self._conn = None

    def finish(self, result: FixResult) -> list[str]:
        """Save the run's summary and close; the notes for the user (one at most)."""
        if self._conn is not None:
            try:
                with self._conn:
                    self._conn.execute(
                        "UPDATE agentfix_runs SET status=?, rounds=?, models=?, seconds=?, "
                        "best=? WHERE id=?",
                        (str(result.status), result.rounds, json.dumps(result.models),
                         result.timings.get("total"), result.best.id if result.best else None,
                         self.run_id),
                    )  # fmt: skip
            except Exception as exc:
                self.failure = self.failure or _cause(exc)
            finally:
                self._conn.close()
                self._conn = None
        if self.saver is not None and self.saver.failure:
            self.failure = self.failure or self.saver.failure
        if self.failure is None:
            return []
        where = f" in {self.path}" if self.path else ""
        return [f"this run could not be recorded{where} for `agentfix runs` ({self.failure}); "
                "the fix itself is not affected — free space, remove a broken database, "
                "or set agentfix.recordRuns to false"]  # fmt: skip


def start(
    settings: Settings, path: Path, root: Path, folder: Path | None = None,
    bounds: Bounds | None = None,
) -> Recording:  # fmt: skip
    """Open the record of a new run (pruning old ones first); never raises."""
    run_id = time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
    if not settings.record_runs:
        return Recording(run_id)
    db: Path | None = None
    conn = None
    try:
        db = database(folder or ensure_cache_dir())
        conn = _connect(db)
        saver = _Saver(conn, serde=RecordSerde(secrets_of(settings)))
        saver.setup()  # the checkpoint tables, in WAL mode
        prune(conn, bounds or BOUNDS, room=1)
        with conn:
            conn.execute(f"INSERT INTO agentfix_runs ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                         (run_id, time.time(), str(path), str(root), "running", 0, "[]", None,
                          None))  # fmt: skip
        return Recording(run_id, db, saver, None, conn)
    except Exception as exc:  # sqlite3.Error, OSError: a record is never worth a fix
        if conn is not None:
            conn.close()
        return Recording(run_id, db, failure=_cause(exc))


def _connect(db: Path) -> sqlite3.Connection:
    """A connection for the run's thread and LangGraph's (it saves steps in the background)."""
    conn = sqlite3.connect(db, timeout=BUSY_S, check_same_thread=False)
    try:
        conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # takes only in a new database
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: no fsync per step, never corrupt
        conn.execute(RUNS)
        db.chmod(0o600)
    except BaseException:
        conn.close()
        raise
    return conn


def prune(conn: sqlite3.Connection, bounds: Bounds, room: int = 0) -> list[str]:
    """Drop the oldest runs beyond the bounds (leaving ``room`` for new ones), and
    checkpoints of no listed run; the ids dropped."""
    newest = conn.execute("SELECT id, started FROM agentfix_runs ORDER BY started DESC, id DESC")
    rows = [(run, started) for run, started in newest]
    cutoff = time.time() - bounds.days * 86400
    keep = max(bounds.runs - room, 0)
    drop = [run for i, (run, started) in enumerate(rows) if i >= keep or started < cutoff]
    kept = [run for run, _ in rows if run not in drop]
    unlisted = "NOT IN (SELECT id FROM agentfix_runs)"
    with conn:
        for run in drop:
            _delete(conn, run)
        conn.execute(f"DELETE FROM checkpoints WHERE thread_id {unlisted}")
        conn.execute(f"DELETE FROM writes WHERE thread_id {unlisted}")
    limit = bounds.megabytes * 2**20
    while kept and _live_bytes(conn) > limit:
        run = kept.pop()
        with conn:
            _delete(conn, run)
        drop.append(run)
    conn.execute("PRAGMA incremental_vacuum")
    return drop


def _delete(conn: sqlite3.Connection, run: str) -> None:
    conn.execute("DELETE FROM checkpoints WHERE thread_id = ?", (run,))
    conn.execute("DELETE FROM writes WHERE thread_id = ?", (run,))
    conn.execute("DELETE FROM agentfix_runs WHERE id = ?", (run,))


def _live_bytes(conn: sqlite3.Connection) -> int:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    return int((pages - free) * conn.execute("PRAGMA page_size").fetchone()[0])


# -- reading the record back -------------------------------------------------------------


def reader(db: Path | None = None) -> sqlite3.Connection | None:
    """A connection to read the record; None when there is none."""
    db = db or database()
    if not db.is_file():
        return None
    return sqlite3.connect(db, timeout=BUSY_S)


def runs(db: Path | None = None, file: Path | None = None, limit: int = 50) -> list[RunRow]:
    """The newest runs first (of ``file`` only, when given); [] when nothing is recorded."""
    conn = reader(db)
    if conn is None:
        return []
    where, args = ("WHERE file = ?", [str(file)]) if file else ("", [])
    with closing(conn):
        found = conn.execute(
            f"SELECT {COLUMNS} FROM agentfix_runs {where} ORDER BY started DESC, id DESC LIMIT ?",
            (*args, limit),
        ).fetchall()
    return [RunRow.of(r) for r in found]


def find(key: str, db: Path | None = None, file: Path | None = None) -> RunRow | None:
    """The run with this id (or a unique start of it), or the newest one for ``last``."""
    listed = runs(db, file, limit=1 if key == "last" else 100_000)
    if key == "last":
        return listed[0] if listed else None
    exact = [r for r in listed if r.id == key]
    matches = exact or [r for r in listed if r.id.startswith(key)]
    return matches[0] if len(matches) == 1 else None
