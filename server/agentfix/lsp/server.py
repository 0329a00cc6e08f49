"""The language server: registers LSP features thinly and delegates to the fix manager."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from typing import Any, BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from agentfix import __version__
from agentfix.errors import AgentfixError
from agentfix.lsp.actions import CANCEL_COMMAND, FIX_COMMAND, KINDS, list_actions
from agentfix.lsp.client_log import ClientLog, StderrLog
from agentfix.lsp.config import EditorConfig
from agentfix.lsp.fix_args import cancel_target
from agentfix.lsp.fixes import FixManager
from agentfix.lsp.runs import register as register_runs
from agentfix.lsp.transport import serve_stdio

log = logging.getLogger(__name__)


class AgentfixProtocol(LanguageServerProtocol):
    """pygls only cancels requests that have not started; a running fix must stop too."""

    def _handle_cancel_notification(self, msg_id: Any) -> None:
        super()._handle_cancel_notification(msg_id)
        server = self._server
        if isinstance(server, AgentfixServer):
            server.fixes.cancel_request(msg_id)


class AgentfixServer(LanguageServer):
    """pygls server plus the editor settings and the fixes running for it."""

    def __init__(self) -> None:
        super().__init__(
            "agentfix",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=AgentfixProtocol,
        )
        self.config = EditorConfig()
        self.fixes = FixManager(self, self.config)
        self._reporting = threading.local()
        self._shown: set[str] = set()  # error kinds already shown: logged after, never a storm
        self.client_log = ClientLog(self)

    def log_handlers(self) -> list[logging.Handler]:
        """Where the server's logging goes: the client's log, stderr for errors."""
        return [self.client_log, StderrLog(self.client_log)]

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """pygls' stdio server, with a message loop no input can kill (``transport``)."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            serve_stdio(self.protocol, stdin or sys.stdin.buffer, self._stop_event)
        except BrokenPipeError:
            log.error("the connection to the editor is lost: shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.client_log.disconnect()
            self.shutdown()  # type: ignore[no-untyped-call]  # pygls's, unannotated

    def report_server_error(self, error: Exception, source: Any) -> None:
        """Log and tell the user (once per kind of error); the server keeps serving.

        A failure while reporting (e.g. the transport is gone) is only logged, never
        reported again: that would recurse."""
        text = "".join(traceback.format_exception(error))
        log.error("agentfix server error: %s", text)
        kind = type(error).__name__
        if getattr(self._reporting, "active", False) or kind in self._shown:
            return
        self._shown.add(kind)
        self._reporting.active = True
        try:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=text)
            )
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"agentfix: internal error: {error!r}"
                )
            )
        except Exception:
            log.exception("could not report an error to the editor")
        finally:
            self._reporting.active = False

    def apply_settings(self, raw: object, source: str) -> None:
        try:
            self.config.update(raw)
        except AgentfixError as exc:
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error,
                    message=f"agentfix: {exc} (from {source}; previous settings kept)",
                )
            )


def create_server() -> AgentfixServer:
    server = AgentfixServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: AgentfixServer, params: types.InitializeParams) -> None:
        ls.client_log.connect(asyncio.get_running_loop())
        ls.apply_settings(params.initialization_options, "initializationOptions")

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: AgentfixServer, params: types.DidChangeConfigurationParams
    ) -> None:
        ls.apply_settings(params.settings, "workspace/didChangeConfiguration")

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=KINDS,
            resolve_provider=False,
        ),
    )
    def code_action(ls: AgentfixServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        if not params.text_document.uri.endswith((".py", ".pyi")) and doc.language_id != "python":
            return []
        running = ls.fixes.jobs.running(params.text_document.uri)
        return list_actions(params, doc.version, doc.lines, running)

    @server.command(FIX_COMMAND)
    async def fix(ls: AgentfixServer, *args: Any) -> dict[str, Any]:
        request_id = ls.protocol._ctx_msg_id.get(None)  # pygls keeps the id in a ContextVar
        return await ls.fixes.command(args, request_id)

    @server.command(CANCEL_COMMAND)
    def cancel(ls: AgentfixServer, *args: Any) -> dict[str, int]:
        uri = cancel_target(args)
        if uri:
            return {"cancelled": int(ls.fixes.cancel(uri, "cancelled by the user"))}
        return {"cancelled": ls.fixes.cancel_all("cancelled by the user")}

    register_runs(server)  # agentfix.showLastRun

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AgentfixServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.fixes.on_save(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AgentfixServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.fixes.cancel(params.text_document.uri, "the document was closed")

    @server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
    def progress_cancel(ls: AgentfixServer, params: types.WorkDoneProgressCancelParams) -> None:
        ls.fixes.cancel_progress(str(params.token))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AgentfixServer, params: None) -> None:
        ls.fixes.shutdown()

    return server
