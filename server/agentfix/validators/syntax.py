"""Validator 1: does the candidate compile? Cheap, in-process, no side effects."""

from __future__ import annotations

import time

from agentfix.source.tree import TOO_DEEP
from agentfix.validators.verdict import Check, CheckName, CheckStatus

MAX_SHOWN = 160  # characters of the offending line shown to the user and the model


def check_syntax(source: str, filename: str) -> Check:
    """Compile without running; a failure names the line, column and the offending line."""
    start = time.monotonic()
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.text or "").rstrip("\n")
        column = max((exc.offset or 1) - 1, 0)
        if len(line) > MAX_SHOWN:  # a 10,000-character line: the part around the error
            start = max(0, min(column - MAX_SHOWN // 2, len(line) - MAX_SHOWN))
            line, column = "..." + line[start : start + MAX_SHOWN] + "...", column - start + 3
        caret = " " * column + "^" if line else ""
        text = f"SyntaxError: {exc.msg} (line {exc.lineno}, column {exc.offset})"
        output = "\n".join(part for part in (text, line, caret) if part)
        return Check(
            CheckName.COMPILE,
            CheckStatus.FAIL,
            text,
            output,
            time.monotonic() - start,
            {"line": exc.lineno, "column": exc.offset},
        )
    except (ValueError, OverflowError) as exc:  # e.g. null bytes
        return Check(CheckName.COMPILE, CheckStatus.FAIL, f"cannot compile: {exc}", str(exc))
    except TOO_DEEP:  # 200,000 unary minuses, (((((... thousands deep
        why = "cannot compile: nested too deeply for Python's compiler"
        return Check(CheckName.COMPILE, CheckStatus.FAIL, why, why)
    return Check(CheckName.COMPILE, CheckStatus.PASS, "compiles", "", time.monotonic() - start)
