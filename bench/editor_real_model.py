"""The editor's view of a fix against a real model: how soon ``agentfix.fix`` answers, how
long until the validated edit arrives, and how soon a cancel ends the fix while the model
is still reading the prompt (before its first token), through the real language server.

    LLM_THREADS=2 OLLAMA_PORT=11434 bash ../shared/llm/serve.sh
    .venv/bin/python bench/editor_real_model.py --provider ollama --base-url http://127.0.0.1:11434

The client is the scripted editor of the tests (``tests/lsp_editor.py``: it applies
``workspace/applyEdit`` with version checks and shows work-done progress). Fix: the demo's
bug (``add`` subtracts) in a small project with its tests. Cancel: the same bug among
``--helpers`` functions (a prompt of ~3k tokens: seconds of prompt evaluation on a CPU),
cancelled ``--after`` seconds after the model was asked, with the code action the server
offers while a fix runs; then a tiny request times whether the server is free again.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests")]
from cancel_real_model import first_token_seconds, project  # noqa: E402

from lsp_editor import Editor, session  # noqa: E402


def progress_messages(editor: Editor) -> list[str]:
    reports = [r for rs in editor.client.progress_reports.values() for r in rs]
    return [getattr(r, "message", None) or "" for r in reports]


def progress_ended(editor: Editor) -> bool:
    reports = [rs[-1] for rs in editor.client.progress_reports.values() if rs]
    return bool(reports) and isinstance(reports[-1], types.WorkDoneProgressEnd)


async def until(check: Any, timeout: float) -> float:
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            raise TimeoutError("waited too long")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def one_fix(options: dict[str, Any], helpers: int) -> tuple[float, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        calc = project(Path(tmp), helpers)
        async with session(options, Path(tmp)) as editor:
            uri = editor.open(calc)
            arg = {"uri": uri, "version": 1, "targets": []}
            start = time.monotonic()
            answer = await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams("agentfix.fix", [arg])
            )
            answered = time.monotonic() - start
            assert answer["status"] == "started", answer
            await until(lambda: progress_ended(editor), 900)
            ended = time.monotonic() - start
            fixed = "return a + b" in editor.text[uri]
            shown = editor.client.messages[-1].message if editor.client.messages else ""
            return answered, ended, ("applied: " if fixed else "not fixed: ") + shown[:70]


async def one_cancel(options: dict[str, Any], helpers: int, after: float) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        calc = project(Path(tmp), helpers)
        async with session(options, Path(tmp)) as editor:
            uri = editor.open(calc)
            arg = {"uri": uri, "version": 1, "targets": []}
            await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams("agentfix.fix", [arg])
            )
            await until(lambda: any("asking" in m for m in progress_messages(editor)), 300)
            await asyncio.sleep(after)
            where = types.Range(types.Position(0, 0), types.Position(0, 0))
            actions = await editor.client.text_document_code_action_async(
                types.CodeActionParams(
                    types.TextDocumentIdentifier(uri), where, types.CodeActionContext([])
                )
            )
            cancel = next(a for a in actions if a.title.startswith("Cancel"))
            start = time.monotonic()
            await editor.client.workspace_execute_command_async(
                types.ExecuteCommandParams(cancel.command.command, cancel.command.arguments)
            )
            await until(lambda: progress_ended(editor), 300)
            took = time.monotonic() - start
            shown = editor.client.messages[-1].message if editor.client.messages else ""
            return took, shown[:70]


async def run(args: argparse.Namespace) -> None:
    options = {"provider": args.provider, "baseUrl": args.base_url, "model": args.model,
               "candidates": args.candidates, "requestTimeout": 900, "timeout": 900}  # fmt: skip
    idle = first_token_seconds(args.provider, args.base_url, args.model)
    fixes = [await one_fix(options, 0) for _ in range(args.repeat)]
    cancels = []
    for after in args.after:
        took, shown = await one_cancel(options, args.helpers, after)
        cancels.append((after, took, first_token_seconds(args.provider, args.base_url,
                                                         args.model), shown))  # fmt: skip
    print(f"provider {args.provider} at {args.base_url}, model {args.model}, candidates "
          f"{args.candidates}; an idle server's first token: {idle:.2f}s\n")  # fmt: skip
    print("| fix | command answered, s | fix ended (edit applied), s | outcome |")
    print("|---|---|---|---|")
    for i, (answered, ended, outcome) in enumerate(fixes, 1):
        print(f"| {i} | {answered:.3f} | {ended:.1f} | {outcome} |")
    if fixes:
        print(f"\nmedian: answered {statistics.median(f[0] for f in fixes):.3f} s, "
              f"ended {statistics.median(f[1] for f in fixes):.1f} s")  # fmt: skip
    print("\n| cancel, s after the model was asked | progress ended, s | next request's "
          "first token, s | message |")  # fmt: skip
    print("|---|---|---|---|")
    for after, took, nxt, shown in cancels:
        print(f"| {after:.0f} | {took:.2f} | {nxt:.2f} | {shown} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provider", choices=["ollama", "openai"], default="ollama")
    parser.add_argument("--base-url", default="http://127.0.0.1:11434")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--candidates", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="fixes timed")
    parser.add_argument("--helpers", type=int, default=60, help="functions around the bug")
    parser.add_argument("--after", type=float, nargs="*", default=[2.0, 10.0])
    asyncio.run(run(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
