"""The loop's decision rules with hand-built verdicts, in milliseconds: when a candidate ends
the run, which validated one wins, which failed one is fed back, where ``decide`` goes next
and which prompt each candidate of a round gets."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from langgraph.graph import END

from agentfix.cancel import CancelToken
from agentfix.engine.candidate import RUFF, Candidate, Maker, Origin
from agentfix.engine.graph import decide
from agentfix.engine.request import FixRequest, Status, Target
from agentfix.engine.schedule import round_order, temperatures, turn
from agentfix.engine.select import best_attempt, finishes, smallest, with_improvement
from agentfix.engine.state import Route, initial_state
from agentfix.settings import Settings
from agentfix.validators.diagnostic import Diagnostic
from agentfix.validators.pipeline import Validator
from agentfix.validators.verdict import Check, CheckName, CheckStatus, Verdict

PATH = Path("calc.py")
SOURCE = "import os\n\n\ndef add(a, b):\n    return a - b\n"
MODEL = Origin(Maker.MODEL, model="m")
PASS, FAIL = CheckStatus.PASS, CheckStatus.FAIL
UNUSED = Diagnostic("F401", "`os` imported but unused", 1, 8)


def verdict(tests: CheckStatus = PASS, lint: int = 0, failed: int = 0) -> Verdict:
    ruff = Check(CheckName.RUFF, PASS, f"{lint} diagnostic(s)", details={"count": lint})
    return Verdict(
        (
            Check(CheckName.COMPILE, PASS, "compiles"),
            ruff,
            Check(CheckName.TESTS, tests, "", details={"failed": failed}),
        )
    )


def cand(
    id: int, origin: Origin = MODEL, v: Verdict | None = None, text: str = SOURCE
) -> Candidate:
    return Candidate(id, 1, origin, text, "whole", verdict=v)


def setup(targets: tuple[Target, ...] = ()) -> tuple[FixRequest, Validator]:
    return FixRequest(PATH, SOURCE, targets), Validator(PATH, (UNUSED,), None)


FAILING = verdict(FAIL, lint=1, failed=1)  # the original: a failing test, one lint


def test_the_model_fix_of_a_failing_original_ends_the_run_even_with_old_lint_left() -> None:
    request, validator = setup()
    assert finishes(request, validator, FAILING, cand(3, MODEL, verdict(lint=1)))
    # ruff's safe fix leaving lint does not end it: the model may still remove the rest
    assert not finishes(request, validator, FAILING, cand(1, RUFF, verdict(lint=1)))
    assert finishes(request, validator, FAILING, cand(1, RUFF, verdict(lint=0)))
    duplicate = Candidate(4, 1, MODEL, SOURCE, "whole", verdict=verdict(), duplicate_of=3)
    assert not finishes(request, validator, FAILING, duplicate)
    assert not finishes(request, validator, FAILING, cand(5, MODEL, verdict(FAIL)))


def test_a_target_ruff_does_not_report_needs_the_model() -> None:
    request, validator = setup((Target("Missing return type", 4, "mypy", "no-untyped-def"),))
    assert not finishes(request, validator, FAILING, cand(1, RUFF, verdict()))
    assert finishes(request, validator, FAILING, cand(2, MODEL, verdict()))
    ruff_target, _ = setup((Target("`os` imported but unused", 1, "Ruff", "F401"),))
    assert finishes(ruff_target, validator, FAILING, cand(1, RUFF, verdict()))


def test_the_least_lint_then_the_smallest_change_wins() -> None:
    request, validator = setup()
    small = SOURCE.replace("a - b", "a + b")
    big = small.replace("import os\n", "import os\nimport sys\n")
    pick = smallest(
        request,
        validator,
        [
            cand(1, MODEL, verdict(lint=1), small),
            cand(2, MODEL, verdict(lint=0), big),
            cand(3, MODEL, verdict(lint=0), small),
            cand(4, MODEL, verdict(FAIL), small),
        ],
    )
    assert pick is not None and pick.id == 3
    targeted, _ = setup(
        (Target("Missing return type", 4, "mypy", "no-untyped-def"),)
    )  # not ruff's: the model's fix first
    both = [cand(1, RUFF, verdict(), SOURCE[10:]), cand(2, MODEL, verdict(), big)]
    assert smallest(targeted, validator, both).id == 2  # type: ignore[union-attr]


def test_the_attempt_that_got_furthest_is_fed_back() -> None:
    lint_fail = Verdict((Check(CheckName.COMPILE, PASS, ""), Check(CheckName.RUFF, FAIL, "")))
    tried = [
        cand(1, RUFF, verdict(FAIL, failed=1)),
        cand(2, MODEL, lint_fail),
        cand(3, MODEL, verdict(FAIL, failed=3)),
        cand(4, MODEL, verdict(FAIL, failed=2)),
        cand(5, MODEL, verdict(FAIL, failed=2)),
    ]
    assert best_attempt(tried).id == 1  # type: ignore[union-attr]
    assert best_attempt(tried, model_only=True).id == 4  # type: ignore[union-attr]
    assert best_attempt([cand(6, MODEL)]) is None  # never validated: nothing to show


def test_a_passing_original_must_be_improved_on() -> None:
    request, _ = setup()
    clean = verdict(lint=0)
    same = with_improvement(request, clean, verdict(lint=0))
    assert not same.validated and same.first_failure.name is CheckName.IMPROVES  # type: ignore[union-attr]
    assert with_improvement(request, verdict(lint=2), verdict(lint=1)).validated


def _decide(state: dict[str, Any], **settings: Any) -> Any:
    request, validator = setup()
    ctx = SimpleNamespace(
        request=request,
        validator=validator,
        settings=Settings(**settings),
        token=CancelToken(),
        say=lambda *a: None,
    )
    return decide({**initial_state("m1", []), **state}, SimpleNamespace(context=ctx))  # type: ignore[arg-type]


def test_decide_routes_from_the_state() -> None:
    assert _decide({}).goto == Route.CONNECT
    assert _decide({"connected": True, "round": 1}).goto == Route.FEEDBACK
    batch = _decide({"connected": True, "round": 1, "asked": 1}, candidates=2)
    assert batch.goto == Route.GENERATE  # the rest of the round, one request at a time
    fixed = _decide({"tried": [cand(2, MODEL, verdict())], "original": FAILING})
    assert fixed.goto == END and fixed.update == {"status": Status.FIXED}
    assert _decide({"status": Status.PROVIDER_ERROR}).goto == END


def test_the_round_cap_tries_the_fallback_model_once_then_stops() -> None:
    spent = {"connected": True, "round": 3, "asked": 2, "told": ["x"], "feedback": "f"}
    switch = _decide(spent, max_rounds=3, fallback_model="m2")
    assert switch.goto == Route.CONNECT
    assert switch.update["model"] == "m2" and switch.update["fallback_used"]
    assert switch.update["round"] == 0 and not switch.update["connected"]
    assert switch.update["told"] == [] and switch.update["feedback"] is None
    assert "tried" not in switch.update  # what was tried stays
    done = _decide(
        {**spent, "fallback_used": True, "model": "m2"}, max_rounds=3, fallback_model="m2"
    )
    assert done.goto == END and done.update == {"status": Status.NO_FIX}


def test_a_cancelled_run_ends_at_the_next_decision() -> None:
    request, validator = setup()
    token = CancelToken()
    token.cancel("by the test")
    ctx = SimpleNamespace(request=request, validator=validator, settings=Settings(), token=token)
    found = decide({**initial_state("m", []), "connected": True}, SimpleNamespace(context=ctx))  # type: ignore[arg-type]
    assert found.goto == END and found.update["status"] == Status.CANCELLED


def test_later_rounds_rotate_suspects_and_group_equal_prompts() -> None:
    suspects = ("f", "g")
    assert turn(suspects, 2, 1, 0) is None  # round 1 shows the whole file
    assert [turn(suspects, 2, 2, v) for v in (0, 1)] == [("f", True), ("g", True)]
    assert [turn(suspects, 2, 3, v) for v in (0, 1)] == [("f", False), ("g", False)]
    assert round_order((), 3, 2) == [0, 1, 2]
    order = round_order(("f",), 4, 2)  # rewrite / correct alternate; same prompts side by side
    assert [turn(("f",), 4, 2, v)[1] for v in order] == [True, True, False, False]  # type: ignore[index]
    first, later = temperatures(0.2, 3, 1), temperatures(0.2, 3, 2)
    assert len(set(first)) == 3 and all(b > a for a, b in zip(first, later, strict=True))


def test_the_lines_ruffs_bug_hints_point_at_are_cited(tmp_path: Path) -> None:
    """The problems of failing tests list ruff's bug hints; the functions holding them are
    what a file too large for the window is narrowed to when the tests name no suspect."""
    from agentfix.engine.baseline import retarget

    base = "def f(x):\n    return x\n\n\ndef g(items=[]):\n    items.append(1)\n    return items\n"
    path = tmp_path / "m.py"
    path.write_text(base)
    request = FixRequest(path, base)
    ctx = SimpleNamespace(request=request, root=tmp_path, rel_path="m.py",
                          validator=Validator(path, (), None))  # fmt: skip
    tests = Check(CheckName.TESTS, FAIL, "1 failed", "FAILED test_m.py::test_it - assert 1 == 2")
    update = retarget(ctx, initial_state("m", []), base, verdict(), ())  # type: ignore[arg-type]
    assert update["cited"] == ()  # the tests pass: no hints
    failing = Verdict((*verdict().checks[:2], tests))
    update = retarget(ctx, initial_state("m", []), base, failing, ())  # type: ignore[arg-type]
    assert "B006" in update["problems"]
    assert update["cited"] == (5,)


def test_a_health_check_cut_short_by_a_cancel_still_counts_its_time() -> None:
    from agentfix.engine.graph import connect

    class Quiet:  # a server that does not answer its health check
        name, base_url, model = "quiet", "http://127.0.0.1:9", "m"

        def with_model(self, model: str) -> Quiet:
            return self

        def check(self) -> None:
            time.sleep(1)

    token = CancelToken()
    token.cancel("by the user")
    ctx = SimpleNamespace(provider=Quiet(), token=token, settings=Settings(),
                          say=lambda *args: None)  # fmt: skip
    update = connect(initial_state("m", []), SimpleNamespace(context=ctx))  # type: ignore[arg-type]
    assert update["status"] is Status.CANCELLED
    assert update["timings"]["health_check"] > 0


def test_plain_strings_become_the_enums_the_rules_compare() -> None:
    """A record read back or a hand-built value may carry plain strings: the rules still
    see a model's candidate and a failing check."""
    check = Check("tests", "fail", "1 failed")  # type: ignore[arg-type]
    assert check.name is CheckName.TESTS and check.status is CheckStatus.FAIL
    plain = Candidate(1, 1, Origin("model", model="m"), SOURCE, "whole")  # type: ignore[arg-type]
    assert plain.from_model and str(plain.origin) == "model:m"
