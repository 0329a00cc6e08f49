"""Wall time per round, split by phase, with a zero-latency scripted model.

For K = 1, 2, 4 candidates and parallel vs serial validation, runs 3 rounds in which every
candidate is unique and fails the tests (so every phase runs every round), and prints a
table. Usage: python bench/bench_rounds.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from agentfix.engine.request import FixRequest
from agentfix.engine.run import run_fix
from agentfix.settings import Settings
from conftest import CALC_BUGGY, write_project
from scripted import ScriptedProvider, fenced

ROUNDS = 3


def make_project(root: Path) -> Path:
    """calc.py with tests, padded with 200 modules and 10 data files like a small repo."""
    calc = write_project(root)
    pkg = root / "pkg"
    pkg.mkdir()
    for i in range(200):
        (pkg / f"mod{i}.py").write_text(f"def f{i}(x):\n    return x + {i}\n" * 20)
    for i in range(10):
        (root / f"data{i}.bin").write_bytes(bytes(64 * 1024))
    return calc


def wrong_answers(n: int) -> list[str]:
    return [fenced(CALC_BUGGY.replace("a - b", f"a * b + {i}")) for i in range(n)]


def one_run(calc: Path, k: int, parallel: bool) -> dict[str, float]:
    provider = ScriptedProvider(wrong_answers(ROUNDS * k + 5))
    settings = Settings(candidates=k, max_rounds=ROUNDS, timeout=600)
    result = run_fix(
        FixRequest(calc, calc.read_text()), settings, provider, parallel_validation=parallel
    )
    assert result.status == "no_fix", result.message
    assert len(result.candidates) == ROUNDS * k
    return result.timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        calc = make_project(Path(tmp))
        rows = []
        for k in (1, 2, 4):
            for parallel in (True, False):
                runs = [one_run(calc, k, parallel) for _ in range(args.repeat)]

                def med(key: str, runs: list[dict[str, float]] = runs) -> float:
                    return statistics.median(r.get(key, 0.0) for r in runs) / ROUNDS

                loop = [r["total"] - r.get("baseline", 0.0) for r in runs]
                rows.append(
                    (
                        k,
                        "parallel" if parallel else "serial",
                        statistics.median(loop) / ROUNDS,
                        med("generation"),
                        med("validation"),
                        med("validate.copy"),
                        med("validate.compile"),
                        med("validate.ruff"),
                        med("validate.tests"),
                    )
                )
    head = ("K", "validation", "round wall", "generation", "validate wall", "copy*",
            "compile*", "ruff*", "tests*")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        k, mode, *times = row
        print(f"| {k} | {mode} | " + " | ".join(f"{t * 1000:.0f} ms" for t in times) + " |")
    print("\n* summed over the round's candidates (CPU-side cost); wall columns are elapsed time.")
    by = {(r[0], r[1]): r[4] for r in rows}
    for k in (2, 4):
        ratio = by[(k, "serial")] / by[(k, "parallel")]
        print(f"K={k}: serial / parallel validation wall time = {ratio:.2f}x")


if __name__ == "__main__":
    main()
