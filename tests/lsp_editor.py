"""A tiny scripted editor around pytest-lsp's client: it owns the buffers, applies
``workspace/applyEdit`` like a real editor (checking versions) and sends didChange back."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from agentfix.lsp.text_edits import apply_edits

SERVER = [sys.executable, "-m", "agentfix", "serve"]


class Editor:
    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.text: dict[str, str] = {}
        self.version: dict[str, int] = {}
        self.applied: list[types.ApplyWorkspaceEditParams] = []
        self.edit_applied = asyncio.Event()
        self.decline = False  # answer applyEdit with an error, as eglot does when declined
        self.pulled: list[str | None] = []  # scope URIs of workspace/configuration requests

    def open(self, path: Path) -> str:
        uri = path.as_uri()
        self.text[uri] = path.read_text()
        self.version[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(
                    uri=uri, language_id="python", version=1, text=self.text[uri]
                )
            )
        )
        return uri

    def type_text(self, uri: str, new_text: str) -> None:
        """The user edits the buffer (a full-text change, as some editors send)."""
        self.version[uri] += 1
        self.text[uri] = new_text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.version[uri]),
                [types.TextDocumentContentChangeWholeDocument(new_text)],
            )
        )

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(
            types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri))
        )

    def apply(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        self.applied.append(params)
        if self.decline:  # as eglot answers a "Proceed?" the user said no to: an error
            raise RuntimeError("User cancelled server edit")
        for change in params.edit.document_changes or []:
            assert isinstance(change, types.TextDocumentEdit)
            uri = change.text_document.uri
            if change.text_document.version != self.version[uri]:
                return types.ApplyWorkspaceEditResult(False, "version mismatch")
            self.type_text(uri, apply_edits(self.text[uri], change.edits))  # type: ignore[arg-type]
        self.edit_applied.set()
        return types.ApplyWorkspaceEditResult(True)


@asynccontextmanager
async def session(
    options: dict[str, Any] | None,
    root: Path,
    *,
    progress: bool = True,
    configuration: dict[str, Any] | None = None,
) -> AsyncIterator[Editor]:
    """An editor connected to a fresh server. ``progress``: whether it shows work-done
    progress; ``configuration``: the ``agentfix`` section it answers to
    ``workspace/configuration`` (the client then declares that it answers; the scope URIs
    asked for are in ``editor.pulled``)."""
    client = await ClientServerConfig(server_command=SERVER).start()
    assert isinstance(client, LanguageClient)
    editor = Editor(client)
    # lsprotocol's hook structures every object with a "command" key as a Command, so a
    # CodeAction that carries a command would be misread; decide by the key's type instead.
    client.protocol._converter.register_structure_hook(
        types.Command | types.CodeAction,  # type: ignore[arg-type]
        lambda obj, _: client.protocol._converter.structure(
            obj, types.Command if isinstance(obj.get("command"), str) else types.CodeAction
        ),
    )

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        return editor.apply(params)

    def pull(params: types.ConfigurationParams) -> list[Any]:
        editor.pulled += [item.scope_uri for item in params.items]
        return [configuration if item.section == "agentfix" else None for item in params.items]

    # pytest-lsp answers workspace/configuration itself; this editor records the scopes
    client.protocol.fm._features[types.WORKSPACE_CONFIGURATION] = pull

    capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            apply_edit=True,
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            configuration=configuration is not None,
        ),
        window=types.WindowClientCapabilities(work_done_progress=progress),
    )
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            initialization_options=options,
        )
    )
    try:
        yield editor
    finally:
        await client.shutdown_session()
        await client.stop()
