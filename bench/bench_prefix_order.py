"""Prompt-evaluation cost of a round's request order on a prefix-caching server.

llama.cpp (and Ollama) keep the last prompt's evaluated prefix; a request that starts with
the same text skips it. A later round of agentfix asks for rewrites of a suspect (all the
same prompt) and corrections of it (the file, then the same focus). This replays the
later-round prompts recorded in real fix traces (``agentfix fix --trace`` or
``bench/quality.py --traces``) against a real server, one token per answer, in two orders:
*grouped* (same-prefix prompts one after another, what agentfix does) and *alternating*
(rewrite, correct, rewrite, correct: what it did before), and prints the time to the first
token, which is the prompt evaluation. Same prompts, same server, only the order differs.

Usage: python bench/bench_prefix_order.py TRACE.json [...] --base-url http://127.0.0.1:8080/v1
       --model qwen2.5-coder-0.5b [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path

from openai import OpenAI

Messages = list[dict[str, str]]
Order = Callable[[list[Messages]], list[Messages]]


def later_rounds(trace: Path) -> list[list[Messages]]:
    """The prompts of each round after the first, in the order they were asked."""
    rounds: dict[int, list[Messages]] = {}
    for event in json.loads(trace.read_text())["events"]:
        if event["kind"] == "answer" and event["round"] > 1:
            prompt = [{"role": _role(m["role"]), "content": m["content"]} for m in event["prompt"]]
            rounds.setdefault(event["round"], []).append(prompt)
    return [rounds[r] for r in sorted(rounds)]


def _role(kind: str) -> str:
    return {"human": "user", "ai": "assistant"}.get(kind, kind)


def groups(prompts: list[Messages]) -> list[list[Messages]]:
    """Prompts that share their first user message (a rewrite spec, or the file)."""
    found: dict[str, list[Messages]] = {}
    for prompt in prompts:
        found.setdefault(prompt[1]["content"], []).append(prompt)
    return list(found.values())


def grouped(prompts: list[Messages]) -> list[Messages]:
    return [p for group in groups(prompts) for p in group]


def alternating(prompts: list[Messages]) -> list[Messages]:
    return [p for row in zip_longest(*groups(prompts)) for p in row if p is not None]


def first_token_seconds(client: OpenAI, model: str, messages: Messages) -> float:
    """Wall time of a one-token answer: the server's prompt evaluation, plus one step."""
    start = time.monotonic()
    client.chat.completions.create(
        model=model,
        messages=messages,  # type: ignore[arg-type]
        max_tokens=1,
        temperature=0.0,
    )
    return time.monotonic() - start


def run(client: OpenAI, model: str, rounds: list[list[Messages]], order: Order) -> list[float]:
    times: list[float] = []
    for prompts in rounds:
        first_token_seconds(client, model, [{"role": "user", "content": "Say OK."}])  # cold
        times += [first_token_seconds(client, model, p) for p in order(prompts)]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("traces", nargs="+", type=Path)
    parser.add_argument("--base-url", default="http://127.0.0.1:8080/v1")
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rounds = [r for trace in args.traces for r in later_rounds(trace)]
    rounds = [r for r in rounds if len(groups(r)) > 1 and grouped(r) != alternating(r)]
    if not rounds:
        raise SystemExit("no later round in these traces mixes prompt kinds: nothing to compare")
    client = OpenAI(base_url=args.base_url, api_key="none", timeout=600)
    results: dict[str, list[float]] = {"alternating (before)": [], "grouped (agentfix)": []}
    for _ in range(args.repeat):
        results["alternating (before)"] += run(client, args.model, rounds, alternating)
        results["grouped (agentfix)"] += run(client, args.model, rounds, grouped)
    requests = sum(len(r) for r in rounds)
    print(f"{len(rounds)} later round(s), {requests} prompts, {args.repeat} repeat(s), "
          f"model {args.model} at {args.base_url}\n")  # fmt: skip
    print("| order | requests | prompt evaluation, total | median per request | max |")
    print("|---|---:|---:|---:|---:|")
    for name, times in results.items():
        print(f"| {name} | {len(times)} | {sum(times):.1f} s | "
              f"{statistics.median(times):.2f} s | {max(times):.1f} s |")  # fmt: skip
    before, after = (sum(t) for t in results.values())
    print(f"\nalternating / grouped total: {before / after:.2f}x")


if __name__ == "__main__":
    main()
