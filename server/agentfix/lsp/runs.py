"""``agentfix.showLastRun {uri}``: the last recorded fix of a file, step by step, in the editor.

The run is rendered as ``agentfix runs show --file`` prints it (``cli_runs.show_text``),
off the event loop, into a text file in the user's cache folder; the client is asked to
open it (``window/showDocument``) when it can, else told where it is
(``window/showMessage``). The newest ``KEEP_SHOWN`` files are kept.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from agentfix.cache import ensure_cache_dir
from agentfix.errors import AgentfixError
from agentfix.project import opened

SHOW_LAST_RUN = "agentfix.showLastRun"
KEEP_SHOWN = 20


def register(server: LanguageServer) -> None:
    """Add the command to ``server`` (and so to its ``executeCommandProvider``)."""
    server.command(SHOW_LAST_RUN)(show_last_run)


async def show_last_run(ls: LanguageServer, *args: Any) -> dict[str, Any]:
    """Open the file's last run in the editor: ``{shown, path, message}``."""
    path = _file(args)
    try:
        written = await asyncio.to_thread(write_last_run, path)
    except (AgentfixError, OSError, sqlite3.Error) as exc:
        message = f"agentfix: {exc}"
        _show(ls, types.MessageType.Warning, message)
        return {"shown": False, "path": None, "message": message}
    except Exception as exc:  # a record this version cannot read: say so, never fail
        store = ensure_cache_dir() / "runs.sqlite"
        message = (f"agentfix: the last run of {path.name} cannot be shown ({exc!r}); a record "
                   f"from another agentfix version? Remove {store}")  # fmt: skip
        _show(ls, types.MessageType.Warning, message)
        return {"shown": False, "path": None, "message": message}
    caps = ls.client_capabilities.window
    if caps and caps.show_document and caps.show_document.support:
        uri = uris.from_fs_path(str(written)) or ""
        try:
            params = types.ShowDocumentParams(uri, take_focus=True)
            shown = await ls.window_show_document_async(params)
        except Exception:  # the client refused or failed: tell it where the file is instead
            shown = None
        if shown is not None and shown.success:
            return {"shown": True, "path": str(written), "message": ""}
    message = f"agentfix: the last run of {path.name}, step by step: {written}"
    _show(ls, types.MessageType.Info, message)
    return {"shown": False, "path": str(written), "message": message}


def _show(ls: LanguageServer, kind: types.MessageType, message: str) -> None:
    ls.window_show_message(types.ShowMessageParams(type=kind, message=message))


def _file(args: tuple[Any, ...]) -> Path:
    uri = args[0].get("uri") if len(args) == 1 and isinstance(args[0], dict) else None
    path = uris.to_fs_path(uri) if isinstance(uri, str) and uri.startswith("file:") else None
    if not path:
        raise JsonRpcInvalidParams.of(
            ValueError(f"{SHOW_LAST_RUN} takes one argument {{uri}} of a file, got {args!r}")
        )
    return opened(Path(path))


def write_last_run(path: Path) -> Path:
    """Render the last run of ``path`` into a text file of the cache; its path."""
    from agentfix.cli_runs import show_text  # the engine: only when a run is shown

    run_id, text = show_text("last", path)
    folder = ensure_cache_dir() / "shown"
    folder.mkdir(mode=0o700, exist_ok=True)
    written = folder / f"{run_id}-{path.name}.txt"
    written.write_text(text, encoding="utf-8")
    for old in sorted(folder.glob("*.txt"), key=lambda p: p.name)[:-KEEP_SHOWN]:
        old.unlink(missing_ok=True)
    return written
