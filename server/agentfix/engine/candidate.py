"""A candidate fix: where it came from, its text, and (once validated) its verdict."""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass
from typing import Any

from agentfix.validators.verdict import Verdict


@dataclass(frozen=True)
class Answer:
    """One model reply with its costs; ``error`` set when the request failed."""

    text: str
    model: str
    temperature: float
    seconds: float
    first_token_s: float | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class Candidate:
    id: int
    round: int
    origin: str  # "ruff" (safe fixes), "ruff:<codes>" (unsafe fixes of those rules), "model:<name>"
    text: str
    merge: str = "whole"
    answer: Answer | None = None
    verdict: Verdict | None = None
    duplicate_of: int | None = None
    validate_seconds: float = 0.0

    @property
    def from_model(self) -> bool:
        return self.origin.startswith("model:")

    @property
    def validated(self) -> bool:
        return self.verdict is not None and self.verdict.validated

    def to_json(self, original: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "round": self.round,
            "origin": self.origin,
            "merge": self.merge,
            "duplicate_of": self.duplicate_of,
            "changed_lines": changed_lines(original, self.text),
            "validated": self.validated,
            "checks": self.verdict.to_json() if self.verdict else [],
            "validate_seconds": round(self.validate_seconds, 4),
            "answer": None
            if self.answer is None
            else {
                "model": self.answer.model,
                "temperature": self.answer.temperature,
                "seconds": round(self.answer.seconds, 4),
                "first_token_s": self.answer.first_token_s,
                "prompt_tokens": self.answer.prompt_tokens,
                "output_tokens": self.answer.output_tokens,
            },
        }


def normalized(text: str) -> str:
    """Text compared for "same candidate": trailing whitespace and newline style ignored."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").splitlines()).strip()


def same_code(a: str, b: str) -> bool:
    """Both parse to the same syntax tree: an answer that only moved blank lines, comments
    or formatting changes nothing that could fix a failing test."""
    try:
        return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False


def changed_lines(before: str, after: str) -> int:
    """Lines removed plus lines added: the size of a change, smaller is preferred.

    The lines both share at the start and at the end are set aside first: a fix changes a
    few lines of a big file, and the matcher is quadratic in what it is given."""
    old, new = before.splitlines(), after.splitlines()
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old, new = old[head : len(old) - tail], new[head : len(new) - tail]
    matcher = difflib.SequenceMatcher(None, old, new, False)
    return sum(
        (i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def unified_diff(before: str, after: str, rel_path: str, context: int = 3) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{rel_path}",
            f"b/{rel_path}",
            n=context,
        )
    )
