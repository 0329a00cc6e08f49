"""Pull code out of a model's plain-text answer: fenced blocks, several blocks, or bare code."""

from __future__ import annotations

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
