"""Focused feedback: only the failing output that helps the model, trimmed (aider-style).

Pytest output is cut to the first failing tests' assertion lines and the traceback lines
inside the project; other output keeps its tail. Everything is capped so a chatty test
suite cannot crowd the file out of a small model's context.
"""

from __future__ import annotations

import re

from agentfix.validators.verdict import TEST_CHECKS, Check, Verdict

MAX_CHARS = 2500
MAX_FAILURES = 3
MAX_LINES_PER_FAILURE = 18
SECTION = re.compile(r"^_{3,} (.+?) _{3,}\s*$")
NOISE = ("site-packages", "/_pytest/", "/pluggy/", "<frozen ")


def trim_test_output(output: str) -> str:
    """The parts of a test run's output a fixer needs: which tests fail, where and why."""
    lines = output.splitlines()
    summary = [line for line in lines if line.startswith(("FAILED ", "ERROR "))][:5]
    sections: list[list[str]] = []
    current: list[str] | None = None
    for line in lines:
        if SECTION.match(line):
            current = [line.strip("_ ").join(("--- ", " ---"))]
            sections.append(current)
        elif line.startswith(("=====", "FAILED ", "ERROR ")):
            current = None
        elif current is not None and not any(noise in line for noise in NOISE):
            current.append(line)
    if sections:
        parts = []
        for section in sections[:MAX_FAILURES]:
            body = [line for line in section if line.strip()]
            if len(body) > MAX_LINES_PER_FAILURE:
                body = [*body[:3], "    ...", *body[-(MAX_LINES_PER_FAILURE - 4) :]]
            parts.append("\n".join(body))
        if len(sections) > MAX_FAILURES:
            parts.append(f"(and {len(sections) - MAX_FAILURES} more failing tests)")
        text = "\n".join(parts + summary)
    else:
        text = "\n".join(lines[-40:])
    return _cap(text)


def _cap(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    head = text[: MAX_CHARS // 2]
    tail = text[-MAX_CHARS // 2 :]
    return f"{head}\n[... trimmed ...]\n{tail}"


def describe_check(check: Check) -> str:
    """One failing check, phrased as feedback."""
    if check.name == "compile":
        return f"The code does not compile:\n{check.output}"
    if check.name == "ruff":
        added = "\n".join(check.output.splitlines()[:10])
        return f"Ruff reports new problems your change introduced:\n{added}"
    if check.name in TEST_CHECKS:
        if check.details.get("timed_out"):
            tail = "\n".join(check.output.splitlines()[-10:])
            return (
                f"{check.summary}, far longer than the original's tests take. Look for a loop "
                f"that never ends or a missing base case.\n{tail}"
            )
        if check.name == "rerun":
            return (
                f"The tests pass only sometimes: {check.summary}. Make the result not depend "
                f"on set or dict order, hashing, or test order.\n{trim_test_output(check.output)}"
            )
        return f"The tests fail ({check.summary}):\n{trim_test_output(check.output)}"
    return f"{check.name}: {check.summary}"


def describe_verdict(verdict: Verdict) -> str:
    failure = verdict.first_failure
    return describe_check(failure) if failure else "All checks passed."
