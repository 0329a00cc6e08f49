"""What the model sees of a long prompt, through the Ollama API: the window agentfix asks
for (``num_ctx``), the prompt's real token count, what the model evaluated
(``prompt_eval_count``) and whether the server cut the prompt.

Ollama (and ../shared/llm/ollama_shim.py, which behaves like it) gives a request without
``options.num_ctx`` a 4096-token window and silently keeps only the first 4 tokens and the
end of a longer prompt. This makes a project whose module has ``--helpers`` correct
functions and one buggy ``add`` (a failing test), runs ``agentfix fix`` on it once per
``--variant LABEL=SERVER_DIR`` (the agentfix source to import, e.g. an export of an older
commit), reads the shim's log for the run, and prints a table.

Usage: python bench/bench_context.py --helpers 110 400 --variant before=/tmp/old/server
       --variant after=server [--base-url http://127.0.0.1:11434] [--model qwen2.5-coder-1.5b]
       [--upstream http://127.0.0.1:8080] [--shim-log /tmp/llm/logs/ollama-shim-11434.log]
       [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BUG = '''def add(a, b):
    """The sum of a and b."""
    return a - b
'''
FILLER = '''

def helper_{i:03d}(values: list[int]) -> int:
    """The sum of the values above {i}, for report number {i}."""
    total = 0
    for value in values:
        if value > {i}:
            total += value
    return total
'''
TESTS = "from calc import add\n\n\ndef test_add_small_numbers():\n    assert add(2, 3) == 5\n"
PYPROJECT = '[project]\nname = "calc"\nversion = "0"\n\n[tool.pytest.ini_options]\n'
PYPROJECT += 'testpaths = ["tests"]\npythonpath = ["."]\n'


def make_project(root: Path, helpers: int) -> Path:
    """A project whose calc.py has ``helpers`` correct functions around a buggy ``add``."""
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tests" / "test_calc.py").write_text(TESTS)
    half = helpers // 2
    head = "".join(FILLER.format(i=i) for i in range(half))
    tail = "".join(FILLER.format(i=i) for i in range(half, helpers))
    calc = root / "calc.py"
    calc.write_text(f'"""Calculator with many helpers."""\n{head}\n\n{BUG}{tail}')
    return calc


def tokens(upstream: str, text: str) -> int:
    """The model's own token count of ``text`` (llama_cpp.server's /extras/tokenize)."""
    request = urllib.request.Request(
        f"{upstream}/extras/tokenize",
        data=json.dumps({"input": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return len(json.load(response)["tokens"])


def run(args: argparse.Namespace, label: str, server: str, helpers: int) -> dict[str, object]:
    """One ``agentfix fix --rounds 1 --candidates 1`` run and what the shim logged meanwhile."""
    with tempfile.TemporaryDirectory(prefix="bench-context-") as tmp:
        calc = make_project(Path(tmp) / "proj", helpers)
        trace = Path(tmp) / "trace.json"
        log = Path(args.shim_log)
        offset = log.stat().st_size if log.exists() else 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTFIX_")}
        env.update(PYTHONPATH=str(Path(server).resolve()), AGENTFIX_REQUEST_TIMEOUT="1800",
                   NO_PROXY="127.0.0.1,localhost")  # fmt: skip
        command = [
            sys.executable, "-m", "agentfix", "fix", str(calc), "--provider", "ollama",
            "--base-url", args.base_url, "--model", args.model, "--rounds", "1",
            "--candidates", "1", "--timeout", "3600", "--json", "--trace", str(trace),
        ]  # fmt: skip
        start = time.monotonic()
        proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        seconds = time.monotonic() - start
        shim = log.read_text(errors="replace")[offset:] if log.exists() else ""
        result = json.loads(proc.stdout) if proc.stdout.strip() else {}
        events = json.loads(trace.read_text())["events"] if trace.exists() else []
        source = calc.read_text()
        if args.keep and trace.exists():
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(trace, args.keep / f"{label}-{helpers}.json")
    answers = [e for e in events if e["kind"] == "answer"]
    first = answers[0] if answers else {}
    prompt = "\n".join(m["content"] for m in first.get("prompt", []))
    seen = [c["answer"]["prompt_tokens"] for c in result.get("candidates", []) if c["answer"]]
    truncated = re.findall(r"truncating input prompt limit=(\d+)", shim)
    narrowed = "too large to show whole" in prompt
    return {
        "variant": label,
        "helpers": helpers,
        "file chars": len(source),
        "prompt tokens": tokens(args.upstream, prompt) if prompt else "-",
        "num_ctx sent": first.get("num_ctx") or "none (4096)",
        "prompt_eval_count": ", ".join(str(s) for s in seen) or "-",
        "cut by server": f"yes, to {truncated[0]}" if truncated else "no",
        "round 1 shows": "outline + suspect" if narrowed else "whole file",
        "requests": len(re.findall(r'"POST /api/chat ', shim)),
        "reloads": len(re.findall(r"reloading model for num_ctx", shim)),
        "status": result.get("status", f"exit {proc.returncode}"),
        "exit": proc.returncode,
        "seconds": round(seconds),
        "message": (result.get("message") or proc.stderr.strip()[-300:]).splitlines()[0][:160],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, nargs="+", default=[110])
    parser.add_argument("--variant", action="append", required=True, help="LABEL=SERVER_DIR")
    parser.add_argument("--base-url", default="http://127.0.0.1:11434")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--upstream", default="http://127.0.0.1:8080")
    parser.add_argument("--shim-log", default="/tmp/llm/logs/ollama-shim-11434.log")
    parser.add_argument("--keep", type=Path, help="copy each run's trace into this folder")
    args = parser.parse_args()
    rows = []
    for helpers in args.helpers:
        for variant in args.variant:
            label, _, server = variant.partition("=")
            rows.append(run(args, label, server, helpers))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    columns = [c for c in rows[0] if c != "message"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    for row in rows:
        print(f"- {row['variant']}, {row['helpers']} helpers: {row['message']}")


if __name__ == "__main__":
    main()
