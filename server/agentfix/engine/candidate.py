"""A candidate fix: where it came from, its text, and (once validated) its verdict."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agentfix.source.line_diff import changed_count
from agentfix.source.tree import dump, parse
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


class Maker(StrEnum):
    """Who wrote a candidate."""

    RUFF_SAFE = "ruff"  # ruff's safe fixes
    RUFF_UNSAFE = "ruff-unsafe"  # ruff's unsafe fixes of some rules, vouched for by the tests
    MODEL = "model"


@dataclass(frozen=True)
class Origin:
    """Where a candidate came from; ``str()`` is its name in traces and ``--json``
    ("ruff", "ruff:B006", "model:qwen2.5-coder:1.5b")."""

    maker: Maker
    rules: tuple[str, ...] = ()  # RUFF_UNSAFE: the rules fixed
    model: str = ""  # MODEL: which model answered

    def __post_init__(self) -> None:  # a plain string (from a record, a test) as the enum
        object.__setattr__(self, "maker", Maker(self.maker))

    def __str__(self) -> str:
        if self.maker is Maker.MODEL:
            return f"model:{self.model}"
        if self.maker is Maker.RUFF_UNSAFE:
            return f"ruff:{','.join(self.rules)}"
        return "ruff"

    def describe(self) -> str:
        """Who made the fix, in words."""
        if self.maker is Maker.MODEL:
            return self.model
        if self.maker is Maker.RUFF_SAFE:
            return "ruff's safe fixes"
        return f"ruff's unsafe fix for {', '.join(self.rules)}"  # the tests vouch for it


RUFF = Origin(Maker.RUFF_SAFE)


@dataclass(frozen=True)
class Candidate:
    id: int
    round: int
    origin: Origin
    text: str
    merge: str = "whole"
    answer: Answer | None = None
    verdict: Verdict | None = None
    duplicate_of: int | None = None
    validate_seconds: float = 0.0

    @property
    def from_model(self) -> bool:
        return self.origin.maker is Maker.MODEL

    @property
    def validated(self) -> bool:
        return self.verdict is not None and self.verdict.validated

    def to_json(self, original: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "round": self.round,
            "origin": str(self.origin),
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
    tree_a, tree_b = parse(a), parse(b)
    if tree_a is None or tree_b is None:
        return False
    dumped = dump(tree_a)
    return dumped is not None and dumped == dump(tree_b)


def changed_lines(before: str, after: str) -> int:
    """Lines removed plus lines added: the size of a change, smaller is preferred."""
    return changed_count(before.splitlines(), after.splitlines())
