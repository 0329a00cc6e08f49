"""The one line model for text that meets ``ast`` positions, ruff rows and LSP positions.

Python's tokenizer (so ``ast`` line numbers), ruff and the LSP end a line only at
``\\r\\n``, ``\\r`` or ``\\n``. ``str.splitlines`` also ends one at a form feed,
``\\x1c``-``\\x1e``, ``\\x85``, U+2028 and U+2029, so its list indexed by ``ast`` line
numbers points at the wrong line once a comment or string holds one of those.
"""

from __future__ import annotations

import re

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
NEWLINE = re.compile(r"\r\n|\r|\n")
ENDS = "\r\n"  # the characters of a line end; ``line.rstrip(ENDS)`` is the line's content


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """``text.splitlines(keepends)``, but split only where Python counts a new line."""
    found: list[str] = LINE.findall(text)
    return found if keepends else [line.rstrip(ENDS) for line in found]


def line_starts(text: str) -> list[int]:
    """Offset of the start of each line; after a final line end, of the empty line there."""
    return [0, *(match.end() for match in NEWLINE.finditer(text))]


def _blank(line: str) -> bool:
    """Only spaces and tabs before the line end (``textwrap``'s blank line)."""
    return not line.rstrip(ENDS).strip(" \t")


def _margin(line: str) -> str:
    content = line.rstrip(ENDS)
    return content[: len(content) - len(content.lstrip(" \t"))]


def dedent(text: str) -> str:
    """``textwrap.dedent`` on these lines: the common leading spaces and tabs removed, and
    blank lines emptied (``textwrap`` sees a line only after ``\\n``)."""
    lines = split_lines(text, keepends=True)
    margins = [_margin(line) for line in lines if not _blank(line)]
    common = margins[0] if margins else ""
    for margin in margins[1:]:
        while not margin.startswith(common):
            common = common[:-1]
    out = []
    for line in lines:
        if _blank(line):
            out.append(line[len(line.rstrip(ENDS)) :])
        else:
            out.append(line[len(common) :])
    return "".join(out)


def indent(text: str, prefix: str) -> str:
    """``textwrap.indent`` on these lines: ``prefix`` before each line that is not only
    whitespace (``textwrap`` would also indent the text after a form feed)."""
    return "".join(
        prefix + line if line.strip() else line for line in split_lines(text, keepends=True)
    )
