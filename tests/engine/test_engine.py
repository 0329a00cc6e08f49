"""Graph logic of the fix loop, with scripted chat models (no network, no real model)."""

from __future__ import annotations

import threading
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.engine.prompt import VARIANT_HINTS
from agentfix.engine.request import FixRequest, FixResult, Target
from agentfix.engine.run import run_fix
from agentfix.engine.schedule import temperatures
from agentfix.progress import Progress
from agentfix.settings import Settings, build_settings
from agentfix.trace import Trace
from conftest import CALC_BUGGY, write_project
from scripted import FAIL, ScriptedProvider, fenced

WRONG = CALC_BUGGY.replace("return a - b", "return a * b")
RIGHT = CALC_BUGGY.replace("return a - b", "return a + b")


def fix(path: Path, provider: ScriptedProvider, **overrides: object) -> FixResult:
    settings = build_settings(path.parent, {"candidates": 1, **overrides})
    return run_fix(FixRequest(path, path.read_text()), settings, provider)


def test_feedback_reaches_the_next_round_and_the_fix_validates(calc_project: Path) -> None:
    # a rewrite answered with more than was asked for: only `add` is taken from it
    rewritten_wrong = "def add(a, b):\n    return a * 1\n\n\ndef double(x):\n    return x * 3\n"
    provider = ScriptedProvider([fenced(WRONG), fenced(rewritten_wrong), fenced(RIGHT)])
    result = fix(calc_project, provider)
    assert result.status == "fixed"
    assert result.fixed == RIGHT
    assert result.rounds == 3
    prompts = [messages for _, messages in provider.script.prompts]
    assert len(prompts) == 3
    assert "test_add" in prompts[0][1].content  # the original's failing test is the target
    # its body is the specification, and the function it exercises is named
    assert "def test_add():\n    assert add(2, 3) == 5\n```" in prompts[0][1].content
    assert "They exercise `add` of `calc.py`" in prompts[0][1].content
    assert all("previous attempt" not in str(m.content) for m in prompts[0])
    # round 2 asks for the suspect anew from its spec: the buggy body is left out
    rewrite = prompts[1][-1].content
    assert "Write `add` of `calc.py` anew" in rewrite
    assert "```python\ndef add(a, b):\n    ...\n```" in rewrite
    assert "return a - b" not in rewrite and "return a * b" not in rewrite
    assert "def test_add():" in rewrite and "def double(x):\n    ..." in rewrite
    # round 3: the failing test of attempt 2 is fed back, and the suspect shown to correct
    assert "assert 2 == 5" in prompts[2][-1].content
    assert "return a * 1" in prompts[2][-1].content
    assert "Concentrate on `add`" in prompts[2][-1].content
    assert "```python\ndef add(a, b):\n    return a - b\n```" in prompts[2][-1].content
    # stable prefix: system and file message identical across whole-file rounds (cache reuse)
    assert [m.content for m in prompts[0][:2]] == [m.content for m in prompts[2][:2]]
    assert prompts[1][0].content == prompts[0][0].content
    assert "return a * 1" in result.candidates[1].text
    assert "return x * 3" not in result.candidates[1].text
    assert calc_project.read_text() == CALC_BUGGY  # the engine never writes


def test_lint_only_problem_is_fixed_by_ruff_without_any_model(tmp_path: Path) -> None:
    source = "import os\nimport sys\n\n\ndef f(x):\n    return x + 1\n"
    path = write_project(tmp_path, source, tests=None)
    provider = ScriptedProvider([fenced("never used\n")])
    provider.script.fail_check = "no model here"
    result = fix(path, provider)
    assert result.status == "fixed"
    assert result.best is not None and str(result.best.origin) == "ruff"
    assert "import os" not in (result.fixed or "")
    assert provider.script.prompts == [] and provider.script.checks == []


def test_repeated_candidate_is_not_validated_again_and_the_model_is_told(
    calc_project: Path,
) -> None:
    provider = ScriptedProvider([fenced(WRONG), fenced(WRONG), fenced(RIGHT)])
    result = fix(calc_project, provider)
    assert result.status == "fixed" and result.rounds == 3
    dup = [c for c in result.candidates if c.duplicate_of is not None]
    assert len(dup) == 1 and dup[0].validate_seconds == 0.0
    third_prompt = provider.script.prompts[2][1][-1].content
    assert "repeated attempt" in third_prompt


def test_round_cap_leaves_the_file_alone_and_explains_the_best_attempt(
    calc_project: Path,
) -> None:
    provider = ScriptedProvider([fenced(WRONG), fenced(WRONG.replace("a * b", "a / b"))])
    result = fix(calc_project, provider, max_rounds=2)
    assert result.status == "no_fix"
    assert result.fixed is None
    assert result.rounds == 2
    assert "best attempt" in result.message and "test_add" in result.message
    assert calc_project.read_text() == CALC_BUGGY


def test_fallback_model_gets_its_own_rounds(calc_project: Path) -> None:
    provider = ScriptedProvider({"small": [fenced(WRONG)], "big": [fenced(RIGHT)]}, "small")
    result = fix(calc_project, provider, model="small", fallback_model="big", max_rounds=2)
    assert result.status == "fixed"
    assert [m for m, _ in provider.script.prompts] == ["small", "small", "big"]
    assert provider.script.checks == ["small", "big"]
    assert result.models == ["small", "big"]


def test_clean_file_is_left_alone_without_asking_the_model(tmp_path: Path) -> None:
    path = write_project(tmp_path, CALC_BUGGY.replace("a - b", "a + b"))
    provider = ScriptedProvider([fenced(WRONG)])
    result = fix(path, provider)
    assert result.status == "clean" and result.fixed is None
    assert provider.script.prompts == []


def test_partial_answer_is_merged_keeping_the_rest_byte_for_byte(tmp_path: Path) -> None:
    source = CALC_BUGGY + "\n\n# a comment the model never saw\nVALUE   =  3  # odd spacing\n"
    path = write_project(tmp_path, source)
    provider = ScriptedProvider([fenced("def add(a, b):\n    return a + b\n")])
    result = fix(path, provider)
    assert result.status == "fixed"
    assert result.fixed == source.replace("a - b", "a + b")
    assert result.best is not None and result.best.merge == "partial"


def test_syntax_error_is_reported_with_its_position(tmp_path: Path) -> None:
    path = write_project(tmp_path, CALC_BUGGY.replace("def add(a, b):", "def add(a, b)"))
    provider = ScriptedProvider([fenced(RIGHT.replace("def double(x):", "def double(x)")),
                                 fenced(RIGHT)])  # fmt: skip
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == RIGHT
    assert "line 8" in provider.script.prompts[1][1][-1].content


def test_smallest_validated_change_wins(calc_project: Path) -> None:
    bigger = RIGHT.replace('"""Calculator helpers."""', '"""Calculator helpers, reworded."""')
    provider = ScriptedProvider([fenced(bigger), fenced(RIGHT)])
    result = fix(calc_project, provider, candidates=2)
    assert result.status == "fixed"
    assert result.fixed == RIGHT
    # both pass the first stage; only the smaller meets the whole test command
    firsts = [c.verdict.get("tests") for c in result.candidates if c.verdict]
    assert [t.status for t in firsts if t] == ["pass", "pass"]
    (bigger_cand,) = [c for c in result.candidates if c.text == bigger]
    assert bigger_cand.verdict is not None and not bigger_cand.validated
    assert bigger_cand.verdict.get("suite").status == "pending"  # type: ignore[union-attr]


def test_answer_without_code_is_fed_back_as_such(calc_project: Path) -> None:
    provider = ScriptedProvider(["I think you should add the numbers.", fenced(RIGHT)])
    result = fix(calc_project, provider)
    assert result.status == "fixed"
    assert "no ```python code block" in provider.script.prompts[1][1][-1].content


def test_cancellation_stops_between_rounds(calc_project: Path) -> None:
    provider = ScriptedProvider([fenced(WRONG)])
    settings = build_settings(calc_project.parent, {"candidates": 1, "max_rounds": 5})
    token = CancelToken(settings.timeout)

    def progress(event: Progress) -> None:
        if event.message.startswith("round 2"):
            token.cancel("cancelled in test")

    result = run_fix(FixRequest(calc_project, CALC_BUGGY), settings, provider, token=token,
                     progress=progress)  # fmt: skip
    assert result.status == "cancelled"
    assert result.rounds == 2 and result.fixed is None
    assert "cancelled in test" in result.message


def test_wall_clock_budget_ends_a_slow_run(tmp_path: Path) -> None:
    slow_tests = "import time\nfrom calc import add\n\n\ndef test_add():\n    time.sleep(30)\n"
    path = write_project(tmp_path, tests=slow_tests)
    provider = ScriptedProvider([fenced(RIGHT)])
    settings = Settings(candidates=1, timeout=4, test_timeout=60)
    done = threading.Event()
    result = run_fix(FixRequest(path, CALC_BUGGY), settings, provider)
    done.set()
    assert result.status == "timeout"
    assert result.timings["total"] < 15


def test_provider_failure_is_reported_not_raised(calc_project: Path) -> None:
    provider = ScriptedProvider([fenced(RIGHT)])
    provider.script.fail_check = "Ollama is not reachable at http://127.0.0.1:9 — start it"
    result = fix(calc_project, provider)
    assert result.status == "provider_error"
    assert "http://127.0.0.1:9" in result.message
    assert result.fixed is None


def test_partial_lint_fix_by_ruff_still_asks_the_model_for_the_rest(tmp_path: Path) -> None:
    source = "import os\n\n\ndef f(x):\n    unused = x * 2\n    return x + 1\n"
    clean = "def f(x):\n    return x + 1\n"
    path = write_project(tmp_path, source, tests=None)
    provider = ScriptedProvider([fenced(clean)])
    result = fix(path, provider)
    # the answer changes only the function; ruff's removal of the import left its blank lines
    assert result.status == "fixed" and result.fixed == "\n\n" + clean
    assert result.best is not None and result.best.from_model
    assert "F841" in provider.script.prompts[0][1][1].content  # the rest is the target

    provider = ScriptedProvider([fenced(clean)])
    provider.script.fail_check = "no model here"
    result = fix(path, provider)  # no model: ruff's partial fix is still the result
    assert result.status == "fixed" and result.best is not None
    assert str(result.best.origin) == "ruff" and "import os" not in (result.fixed or "")
    # the user is told what is left, not just that it is "fixed"
    assert "ruff still reports 1 diagnostic(s), none of them new" in result.message
    assert "F841" in result.message


def test_one_request_at_a_time_stops_the_round_at_the_first_validated_answer(
    calc_project: Path,
) -> None:
    provider = ScriptedProvider([fenced(WRONG), fenced(RIGHT), fenced(WRONG)])
    result = fix(calc_project, provider, candidates=4, parallel_requests=1)
    assert result.status == "fixed" and result.fixed == RIGHT
    assert result.rounds == 1  # both answers belong to round 1
    prompts = [messages for _, messages in provider.script.prompts]
    assert len(prompts) == 2  # candidates 3 and 4 were never asked for
    # same round, same prompt prefix; only the variant hint differs, and no feedback yet
    assert [m.content for m in prompts[0][:2]] == [m.content for m in prompts[1][:2]]
    assert len(prompts[0]) == 2 and VARIANT_HINTS[1] in prompts[1][-1].content
    assert "previous attempt" not in prompts[1][-1].content


def test_a_later_round_asks_same_prefix_prompts_one_after_another(calc_project: Path) -> None:
    # one request at a time, K = 4, one suspect (`add`): round 2 has two rewrites of `add` and
    # two corrections of it; alternating them would make a prefix-caching server (llama.cpp,
    # Ollama) evaluate every prompt from scratch
    wrong = [fenced(CALC_BUGGY.replace("a - b", f"a * {n}")) for n in range(4)]
    rewrites = [fenced(f"def add(a, b):\n    return b - a - {n}\n") for n in range(2)]
    provider = ScriptedProvider([*wrong, *rewrites, fenced(RIGHT)])
    trace = Trace()
    settings = build_settings(calc_project.parent, {"candidates": 4, "parallel_requests": 1})
    result = run_fix(FixRequest(calc_project, CALC_BUGGY), settings, provider, trace=trace)
    assert result.status == "fixed" and result.fixed == RIGHT and result.rounds == 2
    prompts = [messages for _, messages in provider.script.prompts]
    assert len(prompts) == 7  # the round stopped at its first validated candidate
    later = [m[-1].content for m in prompts[4:]]
    assert all("Write `add` of `calc.py` anew" in text for text in later[:2])
    assert later[0] == later[1]  # the same prompt twice: all of it is in the server's cache
    assert "Concentrate on `add`" in later[2]  # then the corrections, after the file prefix
    assert [m.content for m in prompts[6][:2]] == [m.content for m in prompts[0][:2]]
    # each candidate keeps its own temperature: variants 0 and 2 rewrite, 1 corrects
    answers = [e for e in trace.events() if e["kind"] == "answer"]
    spread = temperatures(settings.temperature, 4, 2)
    assert [a["temperature"] for a in answers[4:]] == [spread[0], spread[2], spread[1]]


def test_batched_round_feeds_back_only_after_all_its_candidates(calc_project: Path) -> None:
    provider = ScriptedProvider([fenced(WRONG), "I think the code is fine.", fenced(RIGHT)])
    result = fix(calc_project, provider, candidates=2, parallel_requests=1)
    assert result.status == "fixed" and result.rounds == 2
    prompts = [messages for _, messages in provider.script.prompts]
    assert len(prompts) == 3
    assert "previous attempt" not in str(prompts[1][-1].content)  # batch 2 of round 1
    # round 2 (a rewrite of the suspect: no diff of round 1's attempt) still hears the remark
    # about batch 2's answer
    assert "Write `add` of `calc.py` anew" in prompts[2][-1].content
    assert "no ```python code block" in prompts[2][-1].content
    assert [c.round for c in result.candidates] == [1, 2]


def test_a_failed_request_in_a_later_batch_does_not_end_the_run(calc_project: Path) -> None:
    provider = ScriptedProvider([fenced(WRONG), FAIL, fenced(RIGHT)])
    result = fix(calc_project, provider, candidates=2, parallel_requests=1)
    assert result.status == "fixed" and result.fixed == RIGHT


def test_formatting_only_answer_counts_as_unchanged(calc_project: Path) -> None:
    reflowed = CALC_BUGGY.replace("def add(a, b):", "# adds\ndef add(a, b):  # still wrong")
    provider = ScriptedProvider([fenced(reflowed), fenced(RIGHT)])
    result = fix(calc_project, provider)
    assert result.status == "fixed" and result.fixed == RIGHT
    assert len(result.candidates) == 1  # the comment-only answer was never validated
    assert "returned the code unchanged" in provider.script.prompts[1][1][-1].content


def test_formatting_only_answer_is_a_fix_when_lint_asks_for_formatting(tmp_path: Path) -> None:
    long_line = "def f(x):\n    return x + 1  # " + "a very long comment " * 5 + "\n"
    path = write_project(tmp_path, long_line, tests=None)
    with (tmp_path / "pyproject.toml").open("a") as config:
        config.write('[tool.ruff]\nline-length = 60\n[tool.ruff.lint]\nselect = ["E501"]\n')
    short = "def f(x):\n    # a long comment, wrapped\n    return x + 1\n"
    provider = ScriptedProvider([fenced(short)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == short


TAGS_TESTS = (
    "from calc import add_tag\n\n\ndef test_fresh_list():\n"
    '    assert add_tag("a") == ["a"]\n    assert add_tag("b") == ["b"]\n'
)


def test_mutable_default_is_fixed_by_ruff_and_proven_by_the_tests_without_a_model(
    tmp_path: Path,
) -> None:
    source = (
        "def add_tag(tag: str, tags: list[str] = []) -> list[str]:\n"
        '    """``tags`` with ``tag`` appended once."""\n'
        "    if tag not in tags:\n        tags.append(tag)\n    return tags\n"
    )
    path = write_project(tmp_path, source, TAGS_TESTS)
    with (tmp_path / "pyproject.toml").open("a") as config:  # a project not selecting B006
        config.write('[tool.ruff.lint]\nselect = ["E", "F"]\n')
    provider = ScriptedProvider([fenced("never used\n")])
    provider.script.fail_check = "no model here"
    result = fix(path, provider)
    assert result.status == "fixed", result.message
    assert result.best is not None and str(result.best.origin) == "ruff:B006"
    assert "tags: list[str] | None = None" in (result.fixed or "")  # the annotation follows
    assert "    if tags is None:\n        tags = []\n" in (result.fixed or "")
    assert "with ruff's unsafe fix for B006" in result.message
    assert "validated: compiles, ruff 0 diagnostic(s), none added, tests 1 passed" in result.message
    assert provider.script.prompts == [] and provider.script.checks == []
    assert path.read_text() == source  # the engine never writes


def test_ruff_bug_fix_that_fails_the_tests_leaves_the_bug_to_the_model_with_a_hint(
    tmp_path: Path,
) -> None:
    source = (  # a mutable default, and the real bug: the tag is upper-cased
        "def add_tag(tag, tags=[]):\n    if tag not in tags:\n        tags.append(tag.upper())\n"
        "    return tags\n"
    )
    path = write_project(tmp_path, source, TAGS_TESTS)
    with (tmp_path / "pyproject.toml").open("a") as config:
        config.write('[tool.ruff.lint]\nselect = ["E", "F"]\n')
    fixed = (
        source.replace("tags=[]", "tags=None")
        .replace(".upper()", "")
        .replace("    if tag not in", "    tags = [] if tags is None else tags\n    if tag not in")
    )
    provider = ScriptedProvider([fenced(fixed)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == fixed
    ruff_try = next(c for c in result.candidates if str(c.origin) == "ruff:B006")
    assert not ruff_try.validated and "tags is None" in ruff_try.text
    target = provider.script.prompts[0][1][1].content
    assert "bug-finding rules" in target and "B006" in target
    # a hint, never a criterion: a fix that keeps the mutable default is accepted
    copying = source.replace(".upper()", "").replace(
        "    if tag not in", "    tags = list(tags)\n    if tag not in"
    )
    result = fix(path, ScriptedProvider([fenced(copying)]))
    assert result.status == "fixed" and result.fixed == copying


LIMIT = "def limit(items, n=None):\n    if n == None:\n        return items\n    return items[:n]\n"
LIMIT_TESTS = (
    "from calc import limit\n\n\ndef test_limit():\n"
    "    assert limit([1, 2], None) == [1, 2]\n    assert limit([1, 2], 1) == [1]\n"
)


def lint_project(root: Path, source: str, tests: str) -> Path:
    """A project selecting pycodestyle and pyflakes (E711, E712, F811 are not ruff defaults)."""
    path = write_project(root, source, tests)
    with (root / "pyproject.toml").open("a") as config:
        config.write('[tool.ruff.lint]\nselect = ["E", "F"]\n')
    return path


def test_lint_only_target_takes_ruffs_unsafe_fix_when_the_tests_pass_it(tmp_path: Path) -> None:
    path = lint_project(tmp_path, LIMIT, LIMIT_TESTS)
    provider = ScriptedProvider([fenced("never used\n")])
    provider.script.fail_check = "no model here"
    result = fix(path, provider)
    assert result.status == "fixed", result.message
    assert result.best is not None and str(result.best.origin) == "ruff:E711"
    assert result.fixed == LIMIT.replace("n == None", "n is None")
    assert "with ruff's unsafe fix for E711" in result.message
    assert "validated: compiles, ruff 0 diagnostic(s), none added, tests 1 passed" in result.message
    assert provider.script.prompts == [] and provider.script.checks == []
    assert path.read_text() == LIMIT  # the engine never writes


def test_unsafe_fix_the_tests_reject_leaves_the_lint_to_the_model(tmp_path: Path) -> None:
    source = "def is_off(v):\n    return v == False\n"  # E712; ruff's fix is `not v`
    tests = (
        "from calc import is_off\n\n\ndef test_none_is_not_off():\n"
        "    assert is_off(0) is True\n    assert is_off(None) is False\n"
    )
    path = lint_project(tmp_path, source, tests)
    good = "def is_off(v):\n    return v is not None and not v\n"
    provider = ScriptedProvider([fenced(good)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == good
    assert result.best is not None and result.best.from_model
    ruff_try = next(c for c in result.candidates if str(c.origin) == "ruff:E712")
    assert not ruff_try.validated and "return not v" in ruff_try.text
    # the rejected fix is no base: the model sees the original and the lint to remove
    target = provider.script.prompts[0][1][1].content
    assert "return v == False" in target and "E712" in target and "return not v" not in target


def test_the_model_goes_on_from_ruffs_validated_unsafe_fix(tmp_path: Path) -> None:
    twice = "def double(x):\n    return x * 3\n\n\ndef double(x):\n    return x * 2\n"
    path = lint_project(tmp_path, f"{LIMIT}\n\n{twice}", LIMIT_TESTS)  # F811 has no fix
    clean = LIMIT.replace("n == None", "n is None") + "\n\ndef double(x):\n    return x * 2\n"
    provider = ScriptedProvider([fenced(clean)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.fixed == clean
    assert result.best is not None and result.best.from_model
    # the model starts from ruff's fix and is asked only for what ruff could not do
    target = provider.script.prompts[0][1][1].content
    assert "n is None" in target and "n == None" not in target
    assert "F811" in target and "E711" not in target


def test_an_editor_target_ruff_does_not_report_goes_to_the_model(tmp_path: Path) -> None:
    source = "import os\n\n\ndef f(x):\n    return x.lenght\n"  # F401, and a typo
    path = write_project(tmp_path, source, tests=None)
    target = Target("Cannot access attribute 'lenght'", 5, "Pylance", "reportAttributeAccessIssue")
    answer = "def f(x):\n    return x.length\n"
    provider = ScriptedProvider([fenced(answer)])
    settings = build_settings(path.parent, {"candidates": 1})
    result = run_fix(FixRequest(path, source, (target,)), settings, provider)
    # ruff's fix of the import alone did not end the run: the model saw the editor's target
    assert result.status == "fixed" and result.fixed == "\n\n" + answer  # import gone: ruff
    shown = "line 5: Pylance reportAttributeAccessIssue Cannot access attribute 'lenght'"
    assert shown in provider.script.prompts[0][1][1].content
    # a target that is ruff's own is settled by ruff's fix, with no model
    provider = ScriptedProvider([fenced(answer)])
    own = Target("`os` imported but unused", 1, "Ruff", "F401")
    result = run_fix(FixRequest(path, source, (own,)), settings, provider)
    assert result.status == "fixed" and result.best is not None
    assert str(result.best.origin) == "ruff"
    assert provider.script.prompts == []


def test_no_hints_without_failing_tests(tmp_path: Path) -> None:
    source = "def f(x=[]):\n    unused = 1\n    return x\n"  # F841: lint only, no tests
    path = write_project(tmp_path, source, tests=None)
    provider = ScriptedProvider([fenced("def f(x=[]):\n    return x\n")])
    assert fix(path, provider).status == "fixed"
    assert provider.script.prompts  # the model was asked, without hints
    assert all("bug-finding" not in str(m.content) for _, ms in provider.script.prompts for m in ms)


def test_lint_only_target_is_not_done_while_lint_is_left(tmp_path: Path) -> None:
    source = "import os\n\n\ndef f(x):\n    unused = x * 2\n    return x + 1\n"
    partial = "def f(x):\n    unused = x * 2\n    return x + 1\n"  # = ruff's safe fix
    halfway = "def f(x):\n    unused = x * 2\n    return x + 2 - 1\n"  # still F841
    clean = "def f(x):\n    return x + 1\n"
    path = write_project(tmp_path, source, tests=None)
    provider = ScriptedProvider([fenced(partial), fenced(halfway), fenced(clean)])
    result = fix(path, provider)
    assert result.status == "fixed" and result.rounds == 3
    assert result.fixed == "\n\n" + clean  # the function fixed; ruff left the blank lines
    # the answer repeating ruff's partial fix did not end the run; the half-done one was
    # told what is left
    prompts = [messages for _, messages in provider.script.prompts]
    assert "is not finished yet" in prompts[2][-1].content
    assert "F841" in prompts[2][-1].content


def test_later_rounds_narrow_to_the_suspect_method_and_its_answer_merges(
    tmp_path: Path,
) -> None:
    source = (
        "class Account:\n"
        "    def __init__(self, balance):\n        self.balance = balance\n\n"
        "    def withdraw(self, cents):\n        self.balance -= cents\n\n"
        "    def deposit(self, cents):\n        self.balance += cents\n\n"
        "    def transfer(self, target, cents):\n"
        '        """Move cents from this account to target."""\n'
        "        target.withdraw(cents)\n        self.deposit(cents)\n"
    )
    tests = (
        "from calc import Account\n\n\ndef test_transfer():\n"
        "    a, b = Account(5), Account(1)\n    a.transfer(b, 2)\n"
        "    assert (a.balance, b.balance) == (3, 3)\n"
    )
    path = write_project(tmp_path, source, tests)
    wrong_method = (
        "class Account:\n    def transfer(self, target, cents):\n"
        '        """Move cents from this account to target."""\n'
        "        target.deposit(cents)\n        self.deposit(cents)\n"
    )
    right_method = wrong_method.replace(
        "        target.deposit(cents)\n        self.deposit",
        "        self.withdraw(cents)\n        target.deposit",
    )
    provider = ScriptedProvider(
        [
            fenced(source.replace("self.balance += cents", "self.balance += 0")),
            fenced(wrong_method),
            fenced(right_method),
        ]
    )
    result = fix(path, provider, max_rounds=3)
    assert result.status == "fixed" and result.rounds == 3
    assert result.fixed == source.replace(
        "        target.withdraw(cents)\n        self.deposit(cents)\n",
        "        self.withdraw(cents)\n        target.deposit(cents)\n",
    )  # only the method changed; the rest of the class is byte for byte the original
    prompts = [messages for _, messages in provider.script.prompts]
    assert "anew" not in str(prompts[0][-1].content)  # round 1: the whole file
    # round 2: the method the failing test calls, to be written anew from its spec
    assert "Write `transfer` of `calc.py` anew" in prompts[1][-1].content
    assert (
        "```python\nclass Account:\n    def transfer(self, target, cents):\n"
        '        """Move cents from this account to target."""\n        ...\n```'
    ) in prompts[1][-1].content
    # round 3: the same method shown in full, to be corrected
    assert "Concentrate on `transfer`" in prompts[2][-1].content
    assert (
        "        target.withdraw(cents)\n        self.deposit(cents)\n```" in prompts[2][-1].content
    )


def test_a_partial_fix_is_kept_and_the_next_round_builds_on_it(tmp_path: Path) -> None:
    """Two bugs: round 1's answer fixes one and breaks nothing. Round 2 used to start from
    the original again and ask for the other function alone, so the fix of the first was
    lost and no answer could ever pass; now round 2 starts from round 1's answer."""
    both_wrong = CALC_BUGGY.replace("return x * 2", "return x * 3")
    half = CALC_BUGGY  # `double` fixed, `add` still wrong
    path = write_project(tmp_path, both_wrong)
    provider = ScriptedProvider([fenced(half), "```python\ndef add(a, b):\n    return a + b\n```"])
    result = fix(path, provider, max_rounds=2)
    assert result.status == "fixed" and result.fixed == RIGHT, result.message
    assert "2 fixed (test_add, test_double)" in result.message
    second = provider.script.prompts[1][1][-1].content
    assert "test_calc.py::test_add" in second and "test_calc.py::test_double" not in second
    assert result.candidates[0].verdict is not None
    first = result.candidates[0].verdict.get("tests")
    assert first is not None and "1 fixed (test_double)" in first.summary
    assert "1 failed (test_add)" in first.summary
