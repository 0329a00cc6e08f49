"""Cost of the per-candidate project copy on real trees: list once, then copy (or link).

In a git work tree the list is what ``git ls-files`` gives (``.gitignore`` honoured, plus
the ignored files Python imports); ``--compare`` also measures the plain walk (every file
outside VCS, venv and cache folders) that is used outside git, for a before/after.

Usage: python bench/bench_copy.py [--compare] [--repeat N] [TREE ...]   (default: this
repository and the installed site-packages of the running interpreter)
"""

from __future__ import annotations

import argparse
import statistics
import sysconfig
import time
from pathlib import Path
from unittest import mock

from agentfix.validators import workspace
from agentfix.validators.workspace import Snapshot, materialize


def measure(root: Path, repeat: int = 3) -> tuple[str, int, float, float, float, float]:
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
        snapshot.listed_by,
        len(snapshot.files),
        size,
        snapshot.list_seconds,
        statistics.median(times[False]),
        statistics.median(times[True]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--compare", action="store_true", help="also measure the plain walk")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    trees = args.trees or [
        Path(__file__).resolve().parents[1],
        Path(sysconfig.get_paths()["purelib"]),
    ]
    print("| tree | listed by | files | MB | list once | copy all | "
          "copy + hard-link files >= 256 KiB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for tree in trees:
        runs = [measure(tree, args.repeat)]
        if args.compare:
            with mock.patch.object(workspace, "git_listing", lambda root: None):
                runs.insert(0, measure(tree, args.repeat))
        for by, files, mb, listing, copy, link in runs:
            print(f"| {tree} | {by} | {files} | {mb:.1f} | {listing * 1000:.0f} ms | "
                  f"{copy * 1000:.0f} ms | {link * 1000:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
