"""What ``agentfix.fix`` answers the editor: one typed value, turned into JSON in one place.

The command answers at once: started, or why not (busy, error). With ``wait`` it answers
how the fix ended (fixed or not by the engine, refused because another fix of the
document runs, failed before or while running). Every answer has the same three fields, so
an editor's script reads one shape; the statuses are the engine's plus the server's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agentfix.engine.request import Status


class ServerStatus(StrEnum):
    """How a fix ended that the engine never saw."""

    ERROR = "error"  # it could not run, or failed
    BUSY = "busy"  # another fix of the document runs and was not cancelled
    STARTED = "started"  # it runs in the background: its edits and message come later


@dataclass(frozen=True)
class FixReply:
    status: Status | ServerStatus
    message: str
    applied: bool = False  # the fixed text is in the editor's buffer

    @classmethod
    def error(cls, message: str) -> FixReply:
        """The fix could not run, or failed: ``message`` says why."""
        return cls(ServerStatus.ERROR, message)

    @classmethod
    def started(cls, message: str) -> FixReply:
        """The fix runs in the background; its progress, edits and message follow."""
        return cls(ServerStatus.STARTED, message)

    @classmethod
    def busy(cls, message: str) -> FixReply:
        """Another fix of the document runs and was not cancelled."""
        return cls(ServerStatus.BUSY, message)

    @property
    def headline(self) -> str:
        """The message's first line: what the progress ends with."""
        return self.message.splitlines()[0] if self.message else ""

    def to_json(self) -> dict[str, Any]:
        return {"status": str(self.status), "message": self.message, "applied": self.applied}
