"""A file's byte-level form — a UTF-8 BOM, CRLF line ends — kept through a fix.

The engine, ruff and the model work on plain text (no BOM, ``\\n``); a fix written back
must keep the form the user's file had, or every line of a Windows file changes. A file
that mixes line ends is left exactly as it is (it is already plain enough: nothing is
converted, so nothing can be converted wrongly).
"""

from __future__ import annotations

from dataclasses import dataclass

BOM = "\ufeff"


@dataclass(frozen=True)
class TextForm:
    bom: bool = False
    crlf: bool = False

    @property
    def plain(self) -> bool:
        return not (self.bom or self.crlf)

    @classmethod
    def of(cls, text: str) -> tuple[TextForm, str]:
        """The text's form, and the text in plain form."""
        bom = text.startswith(BOM)
        body = text[1:] if bom else text
        crlf = "\r\n" in body and body.count("\n") == body.count("\r\n")
        return cls(bom, crlf), body.replace("\r\n", "\n") if crlf else body

    def apply(self, text: str) -> str:
        """Plain text back in this form."""
        if self.crlf:
            text = text.replace("\r\n", "\n").replace("\n", "\r\n")
        return BOM + text if self.bom and not text.startswith(BOM) else text
