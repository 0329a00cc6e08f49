"""Code-action latency while the language server turns a large fix's result into edits, a
summary and a trace: that work in the fix's worker thread (now) against the same work on
the event loop (before: the summary's per-candidate diffs, the trace's JSON and the edits
were built there).

In-process: the fix itself is replaced by a prepared result (a generated file of about
150 KB, ``--candidates`` whole-file candidates with scattered changes, the trace with each
prompt and answer), and a code action is asked for every millisecond meanwhile, as an
editor asking while the user moves the cursor.

Usage: python bench/bench_lsp_finish.py [--functions N] [--candidates K]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "lsp"))

import test_lsp_trace_offloop as scenario

from agentfix.engine.request import FixRequest, FixResult
from agentfix.lsp import fixes
from agentfix.lsp.config import EditorConfig
from agentfix.trace import Trace


class OnTheLoop(Executor):
    """Runs the work where it is submitted: on the event loop, as before."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


async def one_run(root: Path, on_loop: bool, candidates: int) -> list[float]:
    original = scenario.big_file()
    path = root / "big.py"
    path.write_text(original)

    def fake_run_fix(request: FixRequest, *args: Any, trace: Trace, **kwargs: Any) -> FixResult:
        result = scenario.big_result(request.path, request.source, trace)
        keep = [*result.candidates[:candidates], result.candidates[-1]]
        return FixResult(result.status, result.message, result.path, result.rel_path,
                         result.original, result.fixed, result.best, keep)  # fmt: skip

    fixes.run_fix = fake_run_fix  # type: ignore[assignment]
    fixes.make_provider = lambda settings: None  # type: ignore[assignment,misc,return-value]
    doc = scenario.Doc(path.as_uri(), original)
    manager = fixes.FixManager(scenario.FakeServer(doc), EditorConfig())  # type: ignore[arg-type]
    if on_loop:
        manager._pool = OnTheLoop()  # type: ignore[assignment]
    stop = asyncio.Event()
    asking = asyncio.ensure_future(scenario.serve_code_actions(doc.uri, stop))
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    outcome = await manager.fix(doc.uri, (), "command")
    elapsed = time.perf_counter() - start
    stop.set()
    latencies = await asking
    assert outcome["applied"], outcome
    print(f"  fix processed in {elapsed * 1000:.0f} ms", file=sys.stderr)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--functions", type=int, default=1200, help="size of the file")
    parser.add_argument("--candidates", type=int, default=2)
    args = parser.parse_args()
    scenario.FUNCTIONS = args.functions
    size = len(scenario.big_file()) / 1000
    print(f"file {size:.0f} KB, {args.candidates} candidates + the fix\n")
    print("| where the work runs | code actions | p50 | p99 | max |")
    print("|---|---|---|---|---|")
    for on_loop in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            lat = asyncio.run(one_run(Path(tmp), on_loop, args.candidates))
        p99 = statistics.quantiles(lat, n=100, method="inclusive")[98]
        where = "event loop (before)" if on_loop else "worker thread (now)"
        print(f"| {where} | {len(lat)} | {statistics.median(lat) * 1000:.1f} ms | "
              f"{p99 * 1000:.1f} ms | {max(lat) * 1000:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
