"""A lint diagnostic as data: checks compare them, prompts and reports print them, and the
engine finds the functions they point at by their row, never by reading their text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_REF = re.compile(r"\bline \d+")


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    row: int
    column: int

    def key(self) -> tuple[str, str]:
        """Identity that survives line shifts: rule code plus message, without the line
        numbers some messages cite (F811 "Redefinition of unused `f` from line 19")."""
        return (self.code, _LINE_REF.sub("line", self.message))

    def __str__(self) -> str:
        return f"line {self.row}:{self.column}: {self.code} {self.message}"
