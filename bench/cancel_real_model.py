"""Cancel against a real model server: how long Ctrl-C takes, and whether the server is free
for the next request afterwards (it stopped generating the abandoned answer).

    LLM_THREADS=2 OLLAMA_PORT=11434 bash ../shared/llm/serve.sh
    .venv/bin/python bench/cancel_real_model.py --provider ollama --base-url http://127.0.0.1:11434
    .venv/bin/python bench/cancel_real_model.py --provider openai --base-url http://127.0.0.1:8080/v1

Each try runs ``agentfix fix`` on a project whose file is large enough that the model is
still reading the prompt or writing its answer when Ctrl-C comes ``--after`` seconds in;
then one tiny chat request is timed to its first token. A server still busy with the
abandoned answer makes that request wait for it (one request at a time).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HELPERS = 60  # helper functions around the buggy one: a prompt of ~3k tokens


def project(root: Path, count: int = HELPERS) -> Path:
    helpers = "".join(f"def helper_{i}(x):\n    return x * {i} + 1\n\n\n" for i in range(count))
    calc = root / "calc.py"
    calc.write_text(helpers + "def add(a, b):\n    return a - b\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_calc.py").write_text(
        "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
    )
    (root / "pyproject.toml").write_text("[project]\nname = 'calc'\nversion = '0'\n")
    return calc


def first_token_seconds(provider: str, base_url: str, model: str) -> float:
    """Seconds to the first streamed token of a tiny request."""
    start = time.monotonic()
    body: dict[str, object] = {"model": model, "stream": True,
                               "messages": [{"role": "user", "content": "Say hi."}]}  # fmt: skip
    if provider == "ollama":
        url = f"{base_url}/api/chat"
    else:
        url, body["max_tokens"] = f"{base_url}/chat/completions", 8
    with httpx.stream("POST", url, json=body, timeout=600) as response:
        for _ in response.iter_lines():
            return time.monotonic() - start
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=["ollama", "openai"], default="ollama")
    parser.add_argument("--base-url", default="http://127.0.0.1:11434")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--after", type=float, nargs="+", default=[5.0, 30.0])
    parser.add_argument("--helpers", type=int, default=HELPERS, help="functions around the bug")
    args = parser.parse_args()
    idle = first_token_seconds(args.provider, args.base_url, args.model)
    rows = []
    for after in args.after:
        with tempfile.TemporaryDirectory() as tmp:
            calc = project(Path(tmp), args.helpers)
            command = [sys.executable, "-m", "agentfix", "fix", str(calc), "--diff", "-q",
                       "--provider", args.provider, "--base-url", args.base_url,
                       "--model", args.model, "--candidates", "1", "--timeout", "900"]  # fmt: skip
            env = {**os.environ, "AGENTFIX_REQUEST_TIMEOUT": "900"}
            proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)  # fmt: skip
            time.sleep(after)
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=900)
            exited = time.monotonic() - sent
            nxt = first_token_seconds(args.provider, args.base_url, args.model)
        last = [line for line in err.splitlines() if line.startswith("agentfix: ")][-1:]
        rows.append((after, proc.returncode, exited, nxt, last[0] if last else ""))
    print(f"provider {args.provider} at {args.base_url}, model {args.model}; "
          f"an idle server's first token: {idle:.2f}s\n")  # fmt: skip
    print("| Ctrl-C after | exit | s to exit | next request's first token, s | message |")
    print("|---|---|---|---|---|")
    for after, code, exited, nxt, message in rows:
        print(f"| {after:.0f}s | {code} | {exited:.2f} | {nxt:.2f} | {message[:80]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
