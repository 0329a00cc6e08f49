"""Cost of the per-candidate project copy on real trees: list once, then copy (or link).

Usage: python bench/bench_copy.py [TREE ...]   (default: this repository and the installed
site-packages of the running interpreter, a large real tree of third-party projects)
"""

from __future__ import annotations

import statistics
import sys
import sysconfig
import time
from pathlib import Path

from agentfix.validators.workspace import Snapshot, materialize


def measure(root: Path, repeat: int = 3) -> tuple[int, float, float, float, float]:
    snapshot = Snapshot.take(root)
    size = sum(s for _, s in snapshot.files) / 1e6
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(repeat):
        for link in (False, True):
            start = time.monotonic()
            ws = materialize(snapshot, link_large=link)
            times[link].append(time.monotonic() - start)
            ws.cleanup()
    return (
        len(snapshot.files),
        size,
        snapshot.list_seconds,
        statistics.median(times[False]),
        statistics.median(times[True]),
    )


def main() -> None:
    trees = [Path(p) for p in sys.argv[1:]] or [
        Path(__file__).resolve().parents[1],
        Path(sysconfig.get_paths()["purelib"]),
    ]
    print("| tree | files | MB | list once | copy all | copy + hard-link files >= 256 KiB |")
    print("|---|---|---|---|---|---|")
    for tree in trees:
        files, mb, listing, copy, link = measure(tree)
        print(f"| {tree} | {files} | {mb:.1f} | {listing * 1000:.0f} ms | "
              f"{copy * 1000:.0f} ms | {link * 1000:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
