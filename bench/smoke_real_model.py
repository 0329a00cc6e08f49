"""Smoke run through both providers against a real local model (../shared/llm).

Start the model first (see ../shared/README.md):
    LLM_HOME=/tmp/llm OLLAMA_PORT=11434 bash ../shared/llm/serve.sh
then: python bench/smoke_real_model.py [--model qwen2.5-coder-1.5b] [--repeat 2]

Runs `agentfix fix --json` on fresh copies of the bundled demo project through the
OpenAI-compatible API (:8080/v1) and the Ollama API (:11434), and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "server" / "agentfix" / "demo" / "example"
PROVIDERS = {"openai": "http://127.0.0.1:8080/v1", "ollama": "http://127.0.0.1:11434"}


def run_once(provider: str, model: str, candidates: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "example"
        shutil.copytree(EXAMPLE, project)
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "agentfix", "fix", str(project / "stats.py"), "--json",
             "--provider", provider, "--base-url", PROVIDERS[provider], "--model", model,
             "--candidates", str(candidates)],
            capture_output=True, text=True, check=False,
            env={**os.environ, "AGENTFIX_PARALLEL_REQUESTS": "1"},
        )  # fmt: skip
        wall = time.monotonic() - start
        if proc.returncode == 2:
            raise SystemExit(f"{provider}: {proc.stderr.strip()}")
        data = json.loads(proc.stdout)
        answers = [c["answer"] for c in data["candidates"] if c["answer"]]
        first = [a["first_token_s"] for a in answers if a["first_token_s"] is not None]
        counted = [a["output_tokens"] for a in answers if a["output_tokens"] is not None]
        tokens = sum(counted) if counted else None  # the server may not report usage
        return {
            "status": data["status"],
            "rounds": data["rounds"],
            "wall": wall,
            "generation": data["timings"].get("generation", 0.0),
            "validation": data["timings"].get("validation", 0.0),
            "ttft": first[0] if first else None,
            "tokens": tokens,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    print("| provider | K | run | status | rounds | wall | generation | validation | "
          "first token (round 1) | output tokens |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for provider in PROVIDERS:
        for k in (1, 2):
            for i in range(args.repeat):
                r = run_once(provider, args.model, k)
                ttft = f"{r['ttft']:.2f} s" if r["ttft"] is not None else "-"
                print(f"| {provider} | {k} | {i + 1} | {r['status']} | {r['rounds']} | "
                      f"{r['wall']:.1f} s | {r['generation']:.1f} s | {r['validation']:.1f} s | "
                      f"{ttft} | {r['tokens'] if r['tokens'] is not None else 'n/a'} |",
                      flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
