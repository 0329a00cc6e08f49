"""Prompt layout: a stable prefix (instructions, the file, the problems) then feedback last,
so servers that cache prompt prefixes (llama.cpp, Ollama, vLLM) reuse it in later rounds.
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from agentfix.engine.feedback import describe_verdict, trim_test_output
from agentfix.providers.base import MAX_ANSWER_TOKENS
from agentfix.providers.context import estimate_tokens
from agentfix.validators.verdict import Verdict

SYSTEM = """You are an expert Python developer. You fix bugs in one Python file.
Rules:
- Reply with the corrected code in ONE ```python fenced block.
- Return the whole file, or only the complete functions/classes you changed (with any \
imports they need).
- Keep names, signatures and behaviour that is not broken. Do not edit or weaken tests.
- Make the smallest change that fixes the problems. Do not add comments or explanations: \
the code must stay lint-clean (a long added comment is a new lint error)."""

VARIANT_HINTS = (
    "",
    "Think about edge cases (empty input, boundaries, types) before answering.",
    "Re-read every line of the functions involved; the bug may be subtle.",
    "Consider an alternative fix from your first idea.",
)

MAX_HINTS = 5
HINTS_HEAD = "Possible causes flagged by ruff's bug-finding rules (hints, not requirements):"


def problems_text(
    targets: Sequence[str],
    diagnostics: Sequence[str],
    compile_error: str | None,
    failing: tuple[str, str] | None,
    spec: str = "",
    hints: Sequence[str] = (),
) -> str:
    """What is wrong with the file, as every prompt states it: the editor's targets, ruff's
    diagnostics, the compile error, the failing tests (``failing``: the command and its
    output) with the spec of the functions they use, and ruff's bug hints."""
    lines = [f"- {t}" for t in targets]
    lines += [f"- ruff {d}" for d in diagnostics]
    if compile_error is not None:
        lines.append(f"- {compile_error}")
    if failing is not None:
        command, output = failing
        lines.append(f"- The tests fail (`{command}`):\n{trim_test_output(output)}")
        if spec:
            lines.append(spec)
        if hints:
            lines += [HINTS_HEAD, *(f"- {h}" for h in hints[:MAX_HINTS])]
    return "\n".join(lines) or "- No failing check is known; look for bugs."


def file_message(rel_path: str, source: str, problems: str) -> HumanMessage:
    """The stable part: the file and what is wrong with it. A file longer than the answer's
    token budget is asked for by function: a small model rewrites it from the top, its
    answer is cut at the budget, and the cut answer does not even compile."""
    ask = "Fix the file so that every problem above is gone."
    if estimate_tokens([source]) > MAX_ANSWER_TOKENS:
        ask += " The file is long: answer with only the functions you change, not the whole file."
    return HumanMessage(
        f"File `{rel_path}`:\n```python\n{source.rstrip()}\n```\n\n"
        f"Problems to fix:\n{problems.strip()}\n\n{ask}"
    )


def focus_hint(name: str, code: str) -> str:
    """Narrow a later round to one suspect: its code again, right before the answer."""
    return (
        f"Concentrate on `{name}`, which the failing tests use:\n```python\n{code}\n```\n"
        f"Check each line of it against what the failing tests expect. Answer with the "
        f"corrected `{name}` only (or with the whole file if the bug is elsewhere)."
    )


def rewrite_messages(
    rel_path: str, name: str, outline: str, problems: str, skeleton: str
) -> list[BaseMessage]:
    """Ask for a suspect written anew from its spec: the file's outline, the problems and the
    suspect's signature and docstring, never its buggy body (a small model shown it tends
    to copy it back unchanged)."""
    return [
        SYSTEM_MESSAGE,
        HumanMessage(
            f"Write `{name}` of `{rel_path}` anew. Its current code has a bug that re-reading "
            f"has not found, so its body is left out. The file, without bodies:\n"
            f"```python\n{outline}\n```\n\nProblems to fix:\n{problems.strip()}\n\n"
            f"Keep its name, parameters and docstring (default values may change), and write "
            f"a body that does what the docstring and the failing tests say:\n"
            f"```python\n{skeleton}\n```\n"
            f"Answer with the complete new `{name}` only, in one ```python block."
        ),
    ]


def excerpt_messages(
    rel_path: str,
    name: str,
    outline: str,
    problems: str,
    code: str,
    told: str | None = None,
    hint: str = "",
) -> list[BaseMessage]:
    """A file too large for the model's window, narrowed to its outline and one suspect in
    full: the model still sees every name it may use and the code to correct. Stable part
    first, then what was told about earlier answers and the hint (as ``build_messages``)."""
    messages: list[BaseMessage] = [
        SYSTEM_MESSAGE,
        HumanMessage(
            f"File `{rel_path}` is too large to show whole. Its outline, without bodies:\n"
            f"```python\n{outline}\n```\n\nProblems to fix:\n{problems.strip()}\n\n"
            f"The failing tests and checks point at `{name}`:\n```python\n{code}\n```"
        ),
    ]
    tail = [part for part in (told, hint) if part]
    tail.append(f"Answer with the corrected `{name}` only, in one ```python block.")
    messages.append(HumanMessage("\n\n".join(tail)))
    return messages


def build_messages(
    rel_path: str,
    source: str,
    problems: str,
    feedback: str | None,
    variant: int,
    focus: str | None = None,
) -> list[BaseMessage]:
    """System and file messages first (identical every round), feedback and hints last.

    ``variant`` picks a hint (cycling): candidates of a round, and rounds at K = 1, vary by it;
    a ``focus`` (``focus_hint``) replaces the hint."""
    messages: list[BaseMessage] = [SYSTEM_MESSAGE, file_message(rel_path, source, problems)]
    tail = []
    if feedback:
        tail.append(feedback)
    hint = focus or VARIANT_HINTS[variant % len(VARIANT_HINTS)]
    if hint:
        tail.append(hint)
    if tail:
        tail.append("Answer with the corrected code in one ```python block.")
        messages.append(HumanMessage("\n\n".join(tail)))
    return messages


SYSTEM_MESSAGE = SystemMessage(SYSTEM)


# remarks on a round's answers, told to the model in the next round
NO_CODE = "One answer had no ```python code block; always answer with one."
UNCHANGED = (
    "One answer returned the code unchanged, but this code fails the checks above: "
    "find the bug and change the code."
)


def repeated(earlier: int, validated: bool) -> str:
    why = "still leaves ruff diagnostics" if validated else "already failed"
    return f"One answer repeated attempt #{earlier}, which {why}; try a different fix."


def feedback_text(attempt: int, diff: str, verdict: Verdict, lint_left: Sequence[str]) -> str:
    """The last round's best attempt fed back: its change and what failed (or, for a
    lint-only target that validated, the lint still left)."""
    if verdict.validated:
        head = f"Your previous attempt (#{attempt}) is not finished yet."
        why = "It passes every check, but ruff still reports:\n" + "\n".join(
            f"- {d}" for d in lint_left[:10]
        )
    else:
        head = f"Your previous attempt (#{attempt}) did not pass validation."
        why = describe_verdict(verdict)
    return f"{head}\nIt changed the file like this:\n```diff\n{diff.rstrip()}\n```\n{why}"
