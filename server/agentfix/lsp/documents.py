"""A fix's document: read once as an immutable snapshot, written back as versioned edits.

A fix runs on a snapshot of the buffer (its text and version), never on the live
document, which the event loop keeps changing as the user types. When the fix ends its
edits are re-based onto the buffer as it is then (a diff, so in a thread), again if the
user typed meanwhile, and sent with the version they were planned for: the editor refuses
them if its buffer moved on. ``EditTracker`` alone writes to documents, and remembers the
text each applied fix produced, so saving that text does not start another fix.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.workspace import Workspace

from agentfix.lsp.text_edits import Encoding, apply_edits, rebase_edits

MAX_REBASES = 5


@dataclass(frozen=True)
class Snapshot:
    """A document's text and version at one moment."""

    uri: str
    text: str
    version: int | None
    language_id: str | None


def snapshot(workspace: Workspace, uri: str) -> Snapshot:
    """The document as the editor has it now."""
    doc = workspace.get_text_document(uri)
    return Snapshot(uri, doc.source, doc.version, doc.language_id)


def encoding_of(workspace: Workspace) -> Encoding:
    """How the client counts a position's characters (UTF-16 unless it said otherwise)."""
    return workspace.position_encoding or types.PositionEncodingKind.Utf16


def plan_edits(
    base_text: str, edits: tuple[types.TextEdit, ...], current: str, encoding: Encoding
) -> tuple[list[types.TextEdit] | None, str]:
    """The edits re-based onto ``current`` (None when the user edited the lines they
    change) and the text they make: run in a thread, the buffer's version checked after."""
    moved = (
        list(edits) if current == base_text else rebase_edits(base_text, edits, current, encoding)
    )
    if moved is None:
        return None, current
    return moved, apply_edits(current, moved, encoding)


class EditTracker:
    """Applies fixes to the editor's documents and knows which texts it produced."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self._lock = threading.Lock()
        self._produced: dict[str, str] = {}  # uri -> the text our last applied fix made

    def is_ours(self, doc: Snapshot) -> bool:
        """The document holds the text of our last fix: the user saved what we produced."""
        with self._lock:
            return self._produced.get(doc.uri) == doc.text

    async def apply(
        self, base: Snapshot, fix: tuple[types.TextEdit, ...], trigger: str
    ) -> tuple[bool, str]:
        """Apply ``fix`` (edits of ``base``) to the document as it is now: applied, or why not."""
        workspace = self.server.workspace
        encoding = encoding_of(workspace)
        current = snapshot(workspace, base.uri)
        if current.version != base.version and trigger == "save":
            return False, "the buffer changed after the save that started this fix"
        for _ in range(MAX_REBASES):  # re-based in a thread; again if the user typed meanwhile
            edits, expected = await asyncio.to_thread(
                plan_edits, base.text, fix, current.text, encoding
            )
            now = snapshot(workspace, base.uri)
            if now.version == current.version:
                break
            current = now
        else:
            return False, "the buffer kept changing while the fix was re-based; run it again"
        if edits is None:
            return False, "you edited the lines it changes while it ran; run it again"
        with self._lock:
            self._produced[base.uri] = expected
        params = types.ApplyWorkspaceEditParams(
            edit=self._edit(current, edits), label="agentfix: validated fix"
        )
        try:
            response = await self.server.workspace_apply_edit_async(params)
        except JsonRpcException as exc:  # eglot answers an edit the user declined with an error
            response = types.ApplyWorkspaceEditResult(False, failure_reason=str(exc))
        if not response.applied:
            with self._lock:
                self._produced.pop(base.uri, None)
            return False, f"the editor refused the edit ({response.failure_reason or 'no reason'})"
        return True, ""

    def _edit(self, doc: Snapshot, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        """Versioned when the client supports it: the editor checks the version we planned
        for and refuses the edit if its buffer moved on."""
        caps = self.server.client_capabilities
        versioned = bool(
            caps.workspace and caps.workspace.workspace_edit
            and caps.workspace.workspace_edit.document_changes
        )  # fmt: skip
        if not versioned:
            return types.WorkspaceEdit(changes={doc.uri: list(edits)})
        ident = types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        change = types.TextDocumentEdit(text_document=ident, edits=list(edits))
        return types.WorkspaceEdit(document_changes=[change])
