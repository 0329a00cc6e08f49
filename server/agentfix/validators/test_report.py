"""Per-test results of one run (from our pytest plugin) and how a candidate's compare.

A candidate is judged against the original's results test by test: it must make the
failures that belong to the file under test pass and break nothing that passed. Failures
that were there before and do not touch the file (a test that fails on this machine
anyway) stay, and are reported, never hidden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"
    XFAILED = "xfailed"
    XPASSED = "xpassed"


OK = frozenset({Outcome.PASSED, Outcome.XFAILED, Outcome.XPASSED, Outcome.SKIPPED})
BAD = frozenset({Outcome.FAILED, Outcome.ERROR})


@dataclass(frozen=True)
class Imported:
    """Where the tests imported the file under test from."""

    file: str | None  # None: no test imported it
    sha256: str | None
    elsewhere: tuple[str, ...]  # the same module name loaded from another file


@dataclass(frozen=True)
class TestReport:
    """What one run of the tests reported, test id by test id."""

    outcomes: Mapping[str, Outcome]
    durations: Mapping[str, float] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    touched: frozenset[str] = frozenset()
    collected: int = 0
    exitstatus: int = 0
    imported: Imported | None = None
    seconds: float = 0.0
    covers: Mapping[str, frozenset[str]] | None = None  # test -> functions of the file it ran
    tampered: frozenset[str] = frozenset()  # pytest internals replaced during the run

    __test__ = False  # not a pytest test class

    @property
    def failed(self) -> frozenset[str]:
        return frozenset(t for t, o in self.outcomes.items() if o in BAD)

    @property
    def passed(self) -> frozenset[str]:
        return frozenset(t for t, o in self.outcomes.items() if o in OK)

    def count(self, *outcomes: Outcome) -> int:
        return sum(1 for o in self.outcomes.values() if o in outcomes)

    def files(self, tests: frozenset[str]) -> tuple[str, ...]:
        """The test files the given ids live in, sorted."""
        return tuple(sorted({file_of(t) for t in tests}))

    def seconds_of(self, files: tuple[str, ...]) -> float:
        """Summed test durations of the given files."""
        chosen = set(files)
        return sum(s for t, s in self.durations.items() if file_of(t) in chosen)

    def only(self, tests: frozenset[str]) -> TestReport:
        """The same report narrowed to some tests (the baseline of a run of just those)."""
        return replace(
            self,
            outcomes={t: o for t, o in self.outcomes.items() if t in tests},
            durations={t: d for t, d in self.durations.items() if t in tests},
            touched=self.touched & tests,
            collected=len(tests),
        )


def file_of(test_id: str) -> str:
    """``tests/test_x.py::TestA::test_b[1]`` → ``tests/test_x.py``."""
    return test_id.split("::", 1)[0]


def read_report(path: Path) -> TestReport | None:
    """The report the plugin wrote, or None when there is none (the run never finished
    its session: a crash, ``os._exit`` at import, a command that is not pytest)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        outcomes = {str(k): Outcome(v) for k, v in data["outcomes"].items()}
        target = data.get("target")
        imported = None
        if isinstance(target, dict):
            imported = Imported(
                target.get("file"),
                target.get("sha256"),
                tuple(str(p) for p in target.get("elsewhere", [])),
            )
        return TestReport(
            outcomes=outcomes,
            durations={str(k): float(v) for k, v in data.get("durations", {}).items()},
            texts={str(k): str(v) for k, v in data.get("texts", {}).items()},
            touched=frozenset(str(t) for t in data.get("touched", [])),
            collected=int(data.get("collected", 0)),
            exitstatus=int(data.get("exitstatus", 0)),
            imported=imported,
            seconds=float(data.get("seconds", 0.0)),
            covers=_covers(data.get("covers")),
            tampered=frozenset(str(t) for t in data.get("tampered", [])),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _covers(data: object) -> dict[str, frozenset[str]] | None:
    if not isinstance(data, dict):
        return None
    return {str(t): frozenset(str(q) for q in names) for t, names in data.items()}


@dataclass(frozen=True)
class Baseline:
    """The original's results in one scope, and which of its failures are the file's."""

    report: TestReport
    targets: frozenset[str]  # failing tests that belong to the file under test

    @property
    def unrelated(self) -> frozenset[str]:
        """Failures that were there before and do not touch the file under test."""
        return self.report.failed - self.targets


def implicated(report: TestReport, target: Path, root: Path) -> frozenset[str]:
    """The failing tests that belong to the file under test: they ran its code, or their
    failure names it. Without a record of what ran, every failure does."""
    named = re.compile(rf"(?<![\w.-]){re.escape(target.name)}\b")  # not test_calc.py
    found = set()
    for test in report.failed:
        if test in report.touched or named.search(report.texts.get(test, "")):
            found.add(test)
    return frozenset(found)


@dataclass(frozen=True)
class Comparison:
    """A candidate's results against the original's, in the same scope."""

    fixed: frozenset[str]  # failed before, pass now
    left: frozenset[str]  # the file's failures that still fail
    broken: frozenset[str]  # passed before, fail (or vanished) now
    still_failing: frozenset[str]  # unrelated failures that remain
    new_failing: frozenset[str]  # tests the original did not have, failing

    @property
    def ok(self) -> bool:
        return not (self.left or self.broken or self.new_failing)

    def summary(self, report: TestReport) -> str:
        """Counts, and the tests by name where there are few: a model told which tests its
        change fixed, which still fail and which it broke knows what to keep and what to
        change next."""
        passed = report.count(Outcome.PASSED)
        parts = [f"{passed} passed"]
        if self.fixed:
            parts.append(f"{len(self.fixed)} fixed{_named(self.fixed)}")
        bad = len(self.left) + len(self.broken) + len(self.new_failing)
        if bad:
            parts.append(f"{bad} failed{_named(self.left | self.new_failing)}")
        if self.broken:
            parts.append(f"{len(self.broken)} broken that passed before{_named(self.broken)}")
        if self.still_failing:
            parts.append(f"{len(self.still_failing)} failing before and still (not this file's)")
        return ", ".join(parts)


NAMED = 3  # tests named in a summary; more are only counted


def _named(tests: frozenset[str]) -> str:
    """`` (test_a, test_b)``: the tests' own names, when there are at most ``NAMED``."""
    if not tests or len(tests) > NAMED:
        return ""
    return " (" + ", ".join(sorted(t.rsplit("::", 1)[-1] for t in tests)) + ")"


def compare(base: Baseline, report: TestReport) -> Comparison:
    before, now = base.report.outcomes, report.outcomes
    files_now = {file_of(t) for t in now}

    def ok(test: str) -> bool:
        """Passes now; a test file that could not be collected is fixed once its tests run.
        A test that ran before and is skipped now did not pass: a change that makes tests
        skip themselves (``pytest.skip`` at import) fixes and keeps nothing."""
        if test in now:
            skipped_now = now[test] == Outcome.SKIPPED and before.get(test) != Outcome.SKIPPED
            return now[test] in OK and not skipped_now
        return "::" not in test and test in files_now

    return Comparison(
        fixed=frozenset(t for t in base.report.failed if ok(t)),
        left=frozenset(t for t in base.targets if not ok(t)),
        broken=frozenset(t for t in base.report.passed if not ok(t)),
        still_failing=frozenset(t for t in base.unrelated if not ok(t)),
        new_failing=frozenset(t for t, o in now.items() if t not in before and o in BAD),
    )


SUMMARY = re.compile(r"(\d+) (failed|passed|errors?|xfailed|skipped)")


def counts_of(report: TestReport | None, output: str) -> dict[str, int]:
    """Test counts for the record: from the report, else from pytest's last lines."""
    if report is not None:
        counts = {str(o): report.count(o) for o in Outcome if report.count(o)}
        return {"errors" if k == "error" else k: v for k, v in counts.items()}
    counts = {}
    tail = "\n".join(output.splitlines()[-5:])
    for number, word in SUMMARY.findall(tail):
        counts["errors" if word.startswith("error") else word] = int(number)
    return counts


def summary_of(report: TestReport) -> str:
    """``3 passed, 1 failed`` for a run judged on its own (the original's)."""
    counts = counts_of(report, "")
    return ", ".join(f"{n} {word}" for word, n in counts.items()) or "no tests ran"
