"""Language-server responsiveness: code-action latency and server memory, idle and mid-fix.

Starts the real server (``python -m agentfix serve`` over stdio, through pytest-lsp's client
as the tests do) against a fake Ollama, opens two documents in two small projects, and
times ``textDocument/codeAction`` (whole-file range, one diagnostic in context) on one of
them: (a) idle, (b) while ``agentfix.fix`` runs on the other, whose tests are slow (each
run sleeps) and whose model answers never pass, so the fix goes through its baseline run
and every round (model call, copy, compile, ruff, tests). A fix that ends before the
measurement does is started again; the last one is cancelled with ``agentfix.cancel``.
Server RSS (VmRSS of the server process) and the summed RSS of its descendants (pytest,
ruff) are sampled in a thread; the table shows the peaks.

Usage: python bench/bench_lsp.py [--requests N] [--interval S] [--test-sleep S]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shlex
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from lsprotocol import types

from conftest import CALC_BUGGY, CALC_TESTS, write_project
from fake_llm import FakeLLM
from lsp_editor import SERVER, Editor, session
from scripted import fenced

WARMUP = 20  # requests sent (and not timed) before each measurement
SAMPLE_EVERY = 0.05  # seconds between memory samples
WRONG = CALC_BUGGY.replace("return a - b", "return a * b")  # compiles, lints, fails the tests


# ---- memory ------------------------------------------------------------------------------
def status_kib(pid: int, key: str = "VmRSS") -> int:
    """A ``/proc/<pid>/status`` field in KiB (0 when the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def descendants(pid: int) -> list[int]:
    """All processes below ``pid`` (children, grandchildren, ...), from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # comm may contain spaces and ')'
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class MemorySampler:
    """Peak RSS of the server and of its descendants, sampled in a background thread."""

    def __init__(self, pid: int, every: float = SAMPLE_EVERY) -> None:
        self.pid = pid
        self.every = every
        self.peak_server_kib = 0
        self.peak_children_kib = 0
        self.peak_children_count = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def sample(self) -> None:
        server = status_kib(self.pid)
        kids = descendants(self.pid)
        children = sum(status_kib(k) for k in kids)
        self.peak_server_kib = max(self.peak_server_kib, server)
        self.peak_children_kib = max(self.peak_children_kib, children)
        self.peak_children_count = max(self.peak_children_count, len(kids))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


# ---- the fix kept running on the other document -------------------------------------------
class FixLoop:
    """Runs ``agentfix.fix`` on ``uri`` back to back until stopped, then cancels it."""

    def __init__(self, editor: Editor, uri: str) -> None:
        self.editor = editor
        self.uri = uri
        self.in_flight = False
        self.results: list[dict[str, Any]] = []
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while not self._stopping:
            self.in_flight = True
            try:
                result = await self.editor.client.workspace_execute_command_async(
                    types.ExecuteCommandParams(
                        "agentfix.fix",
                        [{"uri": self.uri, "version": 1, "targets": [], "wait": True}],
                    )
                )
            finally:
                self.in_flight = False
            self.results.append(dict(result))

    async def start(self) -> None:
        """Start the loop and return once the server reports the first fix's progress."""
        before = set(self.editor.client.progress_reports)
        self._task = asyncio.create_task(self._run())
        deadline = time.monotonic() + 60
        while set(self.editor.client.progress_reports) == before:
            if self._task.done() or time.monotonic() > deadline:
                await self._task
                raise RuntimeError("the fix never reported progress")
            await asyncio.sleep(0.01)

    async def stop(self) -> float:
        """Cancel the running fix; returns the seconds it took the fix to answer."""
        assert self._task is not None
        self._stopping = True
        start = time.monotonic()
        await self.editor.client.workspace_execute_command_async(
            types.ExecuteCommandParams("agentfix.cancel", [{"uri": self.uri}])
        )
        await asyncio.wait_for(self._task, 60)
        return time.monotonic() - start


# ---- one measurement -----------------------------------------------------------------------
@dataclass
class Row:
    scenario: str
    latencies: list[float]
    sampler: MemorySampler
    during_fix: int | None = None  # requests that started and ended with a fix in flight


def action_params(uri: str, text: str) -> types.CodeActionParams:
    lines = text.count("\n") + 1
    whole = types.Range(types.Position(0, 0), types.Position(lines, 0))
    diag = types.Diagnostic(
        types.Range(types.Position(4, 4), types.Position(4, 16)), "wrong sum", source="pytest"
    )
    return types.CodeActionParams(
        types.TextDocumentIdentifier(uri), whole, types.CodeActionContext([diag])
    )


async def time_actions(
    editor: Editor,
    params: types.CodeActionParams,
    n: int,
    interval: float,
    fix: FixLoop | None = None,
) -> tuple[list[float], int]:
    """``n`` sequential code-action requests; their latencies and how many ran mid-fix."""
    client = editor.client
    for _ in range(WARMUP):
        await client.text_document_code_action_async(params)
    latencies: list[float] = []
    during = 0
    for _ in range(n):
        in_fix = fix is not None and fix.in_flight
        start = time.perf_counter()
        actions = await client.text_document_code_action_async(params)
        latencies.append(time.perf_counter() - start)
        if in_fix and fix is not None and fix.in_flight:
            during += 1
        if not actions or len(actions) != 2:  # sanity: the quickfix and the fix-all
            raise RuntimeError(f"unexpected code actions: {actions!r}")
        if interval:
            await asyncio.sleep(interval)
    return latencies, during


# ---- output --------------------------------------------------------------------------------
def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def table(rows: list[Row]) -> str:
    out = [
        "| scenario | requests | p50 | p99 | max | server RSS | children RSS |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lat = row.latencies
        p99 = statistics.quantiles(lat, n=100, method="inclusive")[98]
        requests = str(len(lat))
        if row.during_fix is not None:
            requests += f" ({row.during_fix} mid-fix)"
        s = row.sampler
        children = mib(s.peak_children_kib) + f" ({s.peak_children_count} procs)"
        out.append(
            f"| {row.scenario} | {requests} | {ms(statistics.median(lat))} | {ms(p99)} "
            f"| {ms(max(lat))} | {mib(s.peak_server_kib)} | {children} |"
        )
    return "\n".join(out)


# ---- main ----------------------------------------------------------------------------------
async def bench(args: argparse.Namespace, root: Path) -> None:
    fast_root, slow_root = root / "fast", root / "slow"
    fast_root.mkdir()
    slow_root.mkdir()
    fast = write_project(fast_root)
    sleep = f"def test_add():\n    import time\n    time.sleep({args.test_sleep})"
    slow = write_project(slow_root, tests=CALC_TESTS.replace("def test_add():", sleep))
    with FakeLLM([fenced(WRONG)], model="fake-model") as fake:
        options: dict[str, Any] = {
            "provider": "ollama",
            "baseUrl": fake.url,
            "model": "fake-model",
            "candidates": 1,
        }
        async with session(options, root) as editor:
            server = editor.client._server
            assert server is not None, "pytest-lsp kept no server process"
            pid = server.pid
            uri = editor.open(fast)
            slow_uri = editor.open(slow)
            params = action_params(uri, editor.text[uri])
            print(f"server pid {pid}; fake LLM at {fake.url}\n", flush=True)

            with MemorySampler(pid) as idle_mem:
                idle, _ = await time_actions(editor, params, args.requests, args.interval)
            rows = [Row("(a) idle", idle, idle_mem)]

            fix = FixLoop(editor, slow_uri)
            with MemorySampler(pid) as fix_mem:
                await fix.start()
                busy, during = await time_actions(editor, params, args.requests, args.interval, fix)
                cancel_s = await fix.stop()
            rows.append(Row("(b) during a fix", busy, fix_mem, during))
            hwm = status_kib(pid, "VmHWM")

    print(table(rows))
    statuses = Counter(str(r.get("status")) for r in fix.results)
    print(
        f"\nfixes run on the slow document: {dict(statuses)} (the last cancelled at the end, "
        f"answered {cancel_s:.2f} s after agentfix.cancel); model requests: {len(fake.requests)}"
    )
    print(
        f"server VmHWM (peak RSS over the whole run): {mib(hwm)}; "
        f"memory samples: idle {idle_mem.samples}, during fix {fix_mem.samples} "
        f"(every {SAMPLE_EVERY * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per scenario")
    parser.add_argument(
        "--interval", type=float, default=0.02, help="pause between requests, seconds"
    )
    parser.add_argument(
        "--test-sleep", type=float, default=1.0, help="seconds each slow test run sleeps"
    )
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests must be at least 2")

    print("# agentfix LSP benchmark: code-action latency and server memory\n")
    print(f"command: `{shlex.join(sys.orig_argv)}`")
    print(f"server:  `{shlex.join(SERVER)}` (stdio, via pytest-lsp)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load}; Python {platform.python_version()}"
    )
    print(
        f"settings: {args.requests} timed requests per scenario after {WARMUP} warm-up, "
        f"{args.interval * 1000:.0f} ms apart; slow tests sleep {args.test_sleep} s per run; "
        "latency is the client-side round trip of textDocument/codeAction\n",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="agentfix-bench-") as tmp:
        asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    main()
