"""What per-function coverage costs on a real suite, and which tests it selects.

Runs the project's pytest suite with agentfix's pytest plugin, alternately without and with
``AGENTFIX_COVER=1`` (``sys.monitoring``: Python 3.12+), then prints the wall times and,
for each named function of the target file, the tests that ran it and their share of the
suite — what agentfix's per-function stage would run before the whole suite.

    python3 bench/cover_cost.py --project /tmp/agentfix-real/projects/sqlglot \\
        --python /tmp/rm/sq312/bin/python --target sqlglot/helper.py \\
        --functions apply_index_offset,merge_ranges,dict_depth,ensure_list,seq_get

Needs the repository's own venv (it imports ``agentfix``) to run this script.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "server"))

from agentfix.validators.test_cover import PAYS  # noqa: E402
from agentfix.validators.test_report import TestReport, read_report  # noqa: E402

PLUGIN = REPO / "server" / "agentfix" / "validators" / "pytest_plugin"


def run_suite(args: argparse.Namespace, cover: bool, report: Path) -> tuple[float, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(PLUGIN),
        "PYTEST_PLUGINS": "agentfix_report",
        "AGENTFIX_REPORT": str(report),
        "AGENTFIX_TARGET": str(args.project / args.target),
        "AGENTFIX_COVER": "1" if cover else "0",
    }
    cmd = [args.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.pytest_args]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=args.project, env=env, capture_output=True, text=True)
    tail = (done.stdout.strip().splitlines() or [""])[-1]
    return time.monotonic() - start, tail


def selection(report: TestReport, functions: list[str]) -> str:
    covers = report.covers or {}
    total = sum(report.durations.values())
    rows = [
        "| function | tests that run it | their test time s | share of suite | stage |",
        "|---|---|---|---|---|",
    ]
    for name in functions:
        ids = {t for t, q in covers.items() if any(n.split(".<locals>.")[0] == name for n in q)}
        cost = sum(report.durations.get(t, 0.0) for t in ids)
        runs = "runs" if ids and cost < PAYS * total else "skipped (whole suite only)"
        rows.append(f"| `{name}` | {len(ids)} | {cost:.2f} | {100 * cost / total:.1f} % | {runs} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--python", required=True, help="the project's Python 3.12+")
    parser.add_argument("--target", required=True, help="file under test, relative")
    parser.add_argument("--functions", default="", help="comma-separated function names")
    parser.add_argument("--runs", type=int, default=2, help="runs of each mode")
    parser.add_argument("pytest_args", nargs="*", help="after --: more pytest arguments")
    args = parser.parse_args()
    print(f"Command: `{' '.join(['python3', *sys.argv])}`\n")
    print("| run | coverage recorded | wall s | pytest says |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        last = Path(tmp) / "cover.json"
        for i in range(args.runs):
            for cover in (False, True):
                wall, tail = run_suite(args, cover, last if cover else Path(tmp) / "plain.json")
                print(f"| {i + 1} | {'yes' if cover else 'no'} | {wall:.1f} | {tail} |", flush=True)
        report = read_report(last)
    if report is None or report.covers is None:
        print("\nno per-function coverage was recorded (Python older than 3.12?)")
        return 1
    print(f"\n{len(report.covers)} of {len(report.outcomes)} tests ran {args.target}'s code\n")
    print(selection(report, [f for f in args.functions.split(",") if f]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
