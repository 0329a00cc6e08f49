"""How long the language server takes to exit after ``shutdown`` and ``exit``.

    .venv/bin/python bench/exit_time.py [--repeat 3]

VS Code kills a server that has not exited soon after ``exit`` (every restart). Each try
starts ``agentfix serve``, initializes it, waits a second, sends ``shutdown`` and ``exit``
and times the process until it is gone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any


def message(obj: dict[str, Any]) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def one_exit() -> tuple[float, int]:
    server = subprocess.Popen(
        [sys.executable, "-m", "agentfix", "serve"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    init = {"capabilities": {}, "processId": None}
    server.stdin.write(message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}))
    server.stdin.flush()
    while server.stdout.readline().strip():  # the answer's headers
        pass
    time.sleep(1.0)
    start = time.monotonic()
    server.stdin.write(message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    server.stdin.write(message({"jsonrpc": "2.0", "method": "exit"}))
    server.stdin.flush()
    code = server.wait(30)
    return time.monotonic() - start, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| try | s from shutdown to exit | exit code |\n|---|---|---|")
    for i in range(args.repeat):
        took, code = one_exit()
        print(f"| {i + 1} | {took:.3f} | {code} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
