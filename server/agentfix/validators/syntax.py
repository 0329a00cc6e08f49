"""Validator 1: does the candidate compile? Cheap, in-process, no side effects."""

from __future__ import annotations

import time

from agentfix.validators.verdict import Check


def check_syntax(source: str, filename: str) -> Check:
    """Compile without running; a failure names the line, column and the offending line."""
    start = time.monotonic()
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.text or "").rstrip("\n")
        caret = " " * max((exc.offset or 1) - 1, 0) + "^" if line else ""
        text = f"SyntaxError: {exc.msg} (line {exc.lineno}, column {exc.offset})"
        output = "\n".join(part for part in (text, line, caret) if part)
        return Check(
            "compile",
            "fail",
            text,
            output,
            time.monotonic() - start,
            {"line": exc.lineno, "column": exc.offset},
        )
    except ValueError as exc:  # e.g. null bytes
        return Check("compile", "fail", f"cannot compile: {exc}", str(exc))
    return Check("compile", "pass", "compiles", "", time.monotonic() - start)
