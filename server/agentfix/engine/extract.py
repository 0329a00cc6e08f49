"""Pull code out of a model's plain-text answer: fenced blocks, several blocks, or bare code."""

from __future__ import annotations

import ast
import re

from agentfix.source.tree import parse

FENCE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+.-]*)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
OPEN_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+.-]*)[^\n]*\n(.*)\Z", re.M | re.S)
NON_PYTHON = {"bash", "sh", "shell", "console", "text", "diff", "json", "toml", "ini", "yaml"}


def extract_code(answer: str) -> str | None:
    """The Python code in ``answer``, or None when it holds none.

    Several Python blocks are joined (small models often split a fix over blocks); an
    unterminated fence (answer cut off) still yields its body; an answer with no fence is
    taken as code only if it parses.
    """
    blocks = [body for _, lang, body in FENCE.findall(answer) if lang.lower() not in NON_PYTHON]
    if not blocks:
        match = OPEN_FENCE.search(answer)
        if match and match.group(2).lower() not in NON_PYTHON:
            blocks = [match.group(3)]
    if blocks:
        code = "\n\n".join(block.rstrip() for block in blocks if block.strip())
        return code + "\n" if code.strip() else None
    stripped = answer.strip()
    if not stripped:
        return None
    return None if parse(stripped) is None else stripped + "\n"


PROSE_GRACE = 300  # characters of prose after a closed block before the answer is done


def answer_done(text: str) -> bool:
    """Whether a streamed answer already holds all the code it will: a Python block that
    defines a function or class (what every prompt asks for; not a quoted line of the
    bug) has closed, and what follows it is prose, with no new fence within
    ``PROSE_GRACE`` characters. Reading on only pays for the explanation (seconds of
    tokens on a CPU); a model that splits its fix over blocks mostly opens the next one
    within a line or two."""
    blocks = list(FENCE.finditer(text))
    python = [m for m in blocks if m.group(2).lower() not in NON_PYTHON]
    if not python or python[-1] is not blocks[-1]:
        return False
    tree = parse(python[-1].group(3))
    defines = tree is not None and any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body
    )
    rest = text[blocks[-1].end() :]
    return defines and "```" not in rest and "~~~" not in rest and len(rest.strip()) > PROSE_GRACE
