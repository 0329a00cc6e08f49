"""``agentfix``: fix a file headless (scripts, CI), run the demo, or serve LSP.

Exit codes: 0 fixed or nothing to fix, 1 no validated fix, 2 usage, configuration or
provider error, 130 cancelled with Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from agentfix import __version__, cli_runs
from agentfix.cancel import CancelToken
from agentfix.errors import AgentfixError, describe_os_error
from agentfix.progress import Progress

EXIT_WAIT = 2.0  # seconds the language server waits for cancelled fixes to stop at exit

EXIT_FIXED, EXIT_NO_FIX, EXIT_ERROR, EXIT_CANCELLED = 0, 1, 2, 130


def version_text() -> str:
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    parts = []
    for dist in ("langgraph", "langchain-ollama", "langchain-openai", "pygls", "ruff"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} missing")
    py = sys.version.split()[0]
    return (f"agentfix {__version__} (Python {py}, GIL {'enabled' if gil else 'disabled'}; "
            f"{', '.join(parts)})")  # fmt: skip


def _provider_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=["ollama", "openai"])
    parser.add_argument("--model", help="model name, e.g. qwen2.5-coder:1.5b")
    parser.add_argument("--base-url", help="provider URL (default: OLLAMA_HOST or :11434)")
    parser.add_argument("--fallback-model", help="model tried when the main one fails")
    parser.add_argument("--timeout", type=float, help="wall-clock budget of the fix, seconds")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentfix", description="Fix Python files with a local LLM; only validated fixes."
    )
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command", required=True)
    fix = sub.add_parser("fix", help="fix one file in place (or --diff / --json)")
    fix.add_argument("path", type=Path)
    fix.add_argument("--test", dest="test_command", help="test command, e.g. 'pytest -q tests'")
    fix.add_argument("--rounds", dest="max_rounds", type=int, help="round cap (default 3)")
    fix.add_argument("--candidates", type=int, help="candidates per round (default 2)")
    fix.add_argument("--python", help="interpreter that runs the tests")
    _provider_flags(fix)
    out = fix.add_mutually_exclusive_group()
    out.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    out.add_argument("--json", action="store_true", help="print a machine-readable result")
    fix.add_argument("--trace", type=Path, help="write the whole run as JSON to this file")
    demo = sub.add_parser("demo", help="fix a bundled buggy example in a temporary folder")
    _provider_flags(demo)
    trusting = sub.add_parser(
        "trust",
        help="let a project's [tool.agentfix] choose commands, interpreter and sandbox",
        description="Record that you trust this project's [tool.agentfix] keys that run "
        "commands or weaken isolation (test-command, python, sandbox, fix-on-save, base-url, "
        "provider, memory-limit-mb, max-processes), as they are now: a later change to them "
        "needs trusting again.",
    )
    trusting.add_argument("path", type=Path, nargs="?", default=Path("."))
    trusting.add_argument("--revoke", action="store_true", help="forget the trust")
    cli_runs.add_parser(sub)
    serve = sub.add_parser("serve", help="run the language server (stdio)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP (for debugging)")
    serve.add_argument("--stdio", action="store_true", help="use stdio (the default)")
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("provider", "model", "base_url", "fallback_model", "timeout", "test_command",
            "max_rounds", "candidates", "python")  # fmt: skip
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _progress_printer(quiet: bool) -> Callable[[Progress], None]:
    def sink(event: Progress) -> None:
        if not quiet:
            print(f"agentfix: {event.message}", file=sys.stderr, flush=True)

    return sink


def _install_interrupt(token: CancelToken) -> None:
    """First Ctrl-C cancels cleanly (validators are killed); a second one aborts."""

    def handler(signum: int, frame: object) -> None:
        if token.cancelled:
            raise KeyboardInterrupt
        print("agentfix: cancelling (Ctrl-C again to abort)", file=sys.stderr, flush=True)
        token.cancel("cancelled with Ctrl-C")

    signal.signal(signal.SIGINT, handler)


def cmd_fix(args: argparse.Namespace) -> int:
    from agentfix.engine.request import FixRequest, Status
    from agentfix.engine.run import run_fix
    from agentfix.project import discover, find_root, opened
    from agentfix.providers import make_provider
    from agentfix.settings import build_settings
    from agentfix.trace import Trace
    from agentfix.validators.ruff_tool import note_ruff

    # resolved once, here: a relative path with a folder (src/pkg/mod.py) must not be read
    # again from another working folder (ruff runs in the file's own)
    path: Path = opened(args.path)
    if not path.is_file():
        raise AgentfixError(f"{path} is not a file.")
    if path.suffix not in (".py", ".pyi"):
        raise AgentfixError(f"{path} is not a Python file (.py).")
    raw = path.read_bytes()
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AgentfixError(
            f"{path} is not UTF-8 text ({exc}); agentfix fixes UTF-8 files."
        ) from exc
    settings = build_settings(find_root(path), _overrides(args))
    if args.trace:
        try:  # fail before the run, not after it, if the trace cannot be written
            args.trace.write_text("{}", encoding="utf-8")
        except OSError as exc:
            raise AgentfixError(f"cannot write the trace to {args.trace}: {exc}") from exc
    token = CancelToken(settings.timeout)
    _install_interrupt(token)
    trace = Trace()
    progress = _progress_printer(args.quiet or args.json)
    project = discover(path, settings.python, settings.test_command)  # once per fix
    if ruff := note_ruff(project, trace):
        progress(Progress(f"lint: {ruff}", 0, settings.max_rounds, 0))
    result = run_fix(
        FixRequest(path, source), settings, make_provider(settings), token=token,
        progress=progress, trace=trace, project=project,
    )  # fmt: skip
    if args.trace:
        trace.write(args.trace, result.to_json())
    written = False
    if result.fixed is not None and result.status == "fixed" and not args.diff:
        if path.read_bytes() != raw:
            result.message += f"\n{path} changed while fixing; the fix was NOT written. Run again."
            result.status = Status.NO_FIX
        elif not path.stat().st_mode & 0o222:
            result.message += (
                f"\n{path} is read-only; the fix was NOT written — make it writable, or see "
                "the fix with --diff"
            )
            result.status = Status.NO_FIX
        else:
            _write_atomic(path.resolve(), result.fixed)  # through a symlink, never over it
            written = True
    if args.json:
        print(json.dumps({**result.to_json(), "written": written}, indent=2))
    elif args.diff:
        sys.stdout.write(result.diff())
    print(f"agentfix: {result.message}", file=sys.stderr)
    if result.status in ("fixed", "clean"):
        return EXIT_FIXED
    if result.status in ("provider_error", "test_setup", "prompt_too_big"):
        return EXIT_ERROR
    if result.status == "cancelled" and token.cancelled:
        return EXIT_CANCELLED
    return EXIT_NO_FIX


def _write_atomic(path: Path, text: str) -> None:
    """Replace the file in one step, keeping its permissions; never a half-written file."""
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_demo(args: argparse.Namespace) -> int:
    from agentfix.demo.run import run_demo

    token = CancelToken()
    _install_interrupt(token)
    return run_demo(_overrides(args), _progress_printer(args.quiet), token)


def cmd_trust(args: argparse.Namespace) -> int:
    from agentfix.project import find_root
    from agentfix.settings import read_pyproject
    from agentfix.trust import guarded, revoke, trust

    target = args.path.resolve()
    if not target.exists():
        raise AgentfixError(f"{args.path} does not exist: give the project's folder")
    root = find_root(target / "pyproject.toml") if target.is_dir() else find_root(target)
    if args.revoke:
        print(f"agentfix: {root} is no longer trusted ({revoke(root)})")
        return 0
    values = guarded(read_pyproject(root))
    record = trust(root, values)
    shown = ", ".join(f"{k.replace('_', '-')} = {v!r}" for k, v in values.items()) or "none yet"
    print(f"agentfix: trusted {root} with its [tool.agentfix] keys: {shown} ({record})")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from agentfix.lsp.server import create_server

    server = create_server()
    logging.basicConfig(level=logging.INFO, handlers=server.log_handlers())
    logging.getLogger("pygls").setLevel(logging.WARNING)  # its INFO logs every message
    try:
        if args.tcp:
            host, _, port = args.tcp.rpartition(":")
            if not port.isdigit():
                raise AgentfixError(f"--tcp wants HOST:PORT, got {args.tcp!r}")
            server.start_tcp(host or "127.0.0.1", int(port))
        else:
            server.start_io()
    finally:  # the client went away: stop running fixes so their validators are killed
        server.fixes.shutdown(wait=EXIT_WAIT)
    # Exit at once: an editor restarting the server kills one that takes longer than a
    # second or two (VS Code), and tearing down the interpreter's modules took 0.5-1.4 s.
    # The fixes have stopped and killed their test processes above; nothing else is held.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed by the transport, or the editor is gone
            pass
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"fix": cmd_fix, "demo": cmd_demo, "trust": cmd_trust, "serve": cmd_serve,
                "runs": cli_runs.cmd_runs}  # fmt: skip
    try:
        return handlers[args.command](args)
    except AgentfixError as exc:
        print(f"agentfix: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # a file or folder it cannot read or write: no traceback
        print(f"agentfix: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("agentfix: aborted", file=sys.stderr)
        return EXIT_CANCELLED
