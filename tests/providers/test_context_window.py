"""Prompts that fit the model's context window: what a user of a large file notices.

Ollama is asked for a ``num_ctx`` that holds the prompt (it would silently cut a longer
one), the same size every round of a fix; a file too large for the window is narrowed to
its outline and the suspect function; a window too small for anything ends with a plain
"prompt too big" (exit 2), never "no answer from the model"; a server's refusal of a long
prompt teaches its window; a busy one-request-at-a-time server passes the health check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentfix.engine import fit
from agentfix.providers import base as provider_base
from agentfix.providers.context import (
    CACHE,
    estimate_tokens,
    overflow,
    stable_window,
)
from agentfix.providers.ollama import OllamaProvider
from agentfix.providers.openai import OpenAIProvider
from fake_llm import FakeLLM

MODEL = "fake-model"
CLI_TIMEOUT = 180

BUG = '''def add(a, b):
    """The sum of a and b."""
    return a - b
'''
FIXED_ADD = BUG.replace("return a - b", "return a + b")
WRONG_ADD = BUG.replace("return a - b", "return a * b")
FILLER = '''

def helper_{i:03d}(values: list[int]) -> int:
    """The sum of the values above {i}, for report number {i}."""
    total = 0
    for value in values:
        if value > {i}:
            total += value
    return total
'''
TESTS = """from calc import add


def test_add_small_numbers():
    assert add(2, 3) == 5
"""
PYPROJECT = """[project]
name = "calc"
version = "0"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""


def module(helpers: int) -> str:
    """A module of ``helpers`` correct functions and one buggy ``add`` in the middle."""
    half = helpers // 2
    head = "".join(FILLER.format(i=i) for i in range(half))
    tail = "".join(FILLER.format(i=i) for i in range(half, helpers))
    return f'"""Calculator with many helpers."""\n{head}\n\n{BUG}{tail}'


def make_project(tmp_path: Path, helpers: int) -> Path:
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "tests" / "test_calc.py").write_text(TESTS, encoding="utf-8")
    calc = root / "calc.py"
    calc.write_text(module(helpers), encoding="utf-8")
    return calc


def answer(code: str) -> str:
    return f"Here is the fix:\n\n```python\n{code}```\n"


def run_cli(
    calc: Path, provider: str, url: str, *extra: str, rounds: int = 1
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTFIX_")}
    env.pop("OPENAI_API_KEY", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    command = [
        sys.executable, "-m", "agentfix", "fix", str(calc), "--provider", provider,
        "--model", MODEL, "--base-url", url, "--candidates", "1", "--rounds", str(rounds),
        *extra,
    ]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=calc.parent,
        timeout=CLI_TIMEOUT, check=False,
    )  # fmt: skip


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def prompt_chars(body: dict[str, object]) -> int:
    messages = body["messages"]
    assert isinstance(messages, list)
    return sum(len(str(m["content"])) for m in messages)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Windows and health checks are cached per process: each test starts from none."""
    CACHE.clear()
    yield
    CACHE.clear()


# -- what a large file's prompt gets ------------------------------------------------------


def test_ollama_window_holds_a_long_prompt_and_keeps_its_size_every_round(
    tmp_path: Path,
) -> None:
    calc = make_project(tmp_path, helpers=110)
    answers = [answer(WRONG_ADD), answer(WRONG_ADD), answer(FIXED_ADD)]
    with FakeLLM(answers, MODEL, context_length=32768) as llm:
        proc = run_cli(calc, "ollama", llm.url, rounds=3)
        requests, hits = llm.requests, llm.hits
    assert proc.returncode == 0, explain(proc)
    assert ("POST", "/api/show") in hits  # the model's context_length was asked for
    first = requests[0]
    assert prompt_chars(first) / 3 > 4096  # longer than Ollama's default window
    assert "return total" in llm_prompt(first)  # round 1: the whole file
    # too long to answer whole within the answer's budget: asked for the changed functions
    assert "answer with only the functions you change" in llm_prompt(first)
    num_ctx = [r["options"]["num_ctx"] for r in requests]
    assert len(num_ctx) == 3
    assert num_ctx[0] >= prompt_chars(first) / 3 + 2048  # the prompt and the answer fit
    assert num_ctx[0] in (8192, 16384, 32768)  # a stable size, not the prompt's own
    assert num_ctx == [num_ctx[0]] * 3  # no model reload between rounds


def test_ollama_small_prompt_asks_for_the_smallest_stable_window(tmp_path: Path) -> None:
    calc = make_project(tmp_path, helpers=2)
    with FakeLLM([answer(FIXED_ADD)], MODEL) as llm:  # /api/show without context_length
        proc = run_cli(calc, "ollama", llm.url)
        requests = llm.requests
    assert proc.returncode == 0, explain(proc)
    assert requests[0]["options"]["num_ctx"] == 4096


def test_a_prompt_that_filled_the_window_is_reported(tmp_path: Path) -> None:
    calc = make_project(tmp_path, helpers=2)
    with FakeLLM([answer(FIXED_ADD)], MODEL, seen_tokens=4096) as llm:
        proc = run_cli(calc, "ollama", llm.url)
    assert proc.returncode == 0, explain(proc)
    assert "evaluated 4096 prompt tokens, its whole window of 4096" in proc.stderr


def test_file_too_large_for_the_window_sends_the_suspect_and_an_outline(
    tmp_path: Path,
) -> None:
    calc = make_project(tmp_path, helpers=200)
    with FakeLLM([answer(FIXED_ADD)], MODEL, context_length=8192) as llm:
        proc = run_cli(calc, "ollama", llm.url)
        requests = llm.requests
    assert proc.returncode == 0, explain(proc)
    assert calc.read_text(encoding="utf-8") == module(200).replace("a - b", "a + b")
    prompt = llm_prompt(requests[0])
    assert "too large to show whole" in prompt
    assert "return a - b" in prompt  # the suspect, in full
    assert "def helper_000(values: list[int]) -> int:" in prompt  # the outline
    assert "total += value" not in prompt  # no other function's body
    assert prompt_chars(requests[0]) / 3 + 2048 <= 8192
    assert requests[0]["options"]["num_ctx"] == 8192  # never above the model's maximum
    assert "does not fit the model's window of 8192 tokens" in proc.stderr


def test_window_too_small_for_anything_says_prompt_too_big(tmp_path: Path) -> None:
    calc = make_project(tmp_path, helpers=200)
    before = calc.read_bytes()
    with FakeLLM([answer(FIXED_ADD)], MODEL, context_length=2048) as llm:
        proc = run_cli(calc, "ollama", llm.url, "--json")
        requests = llm.requests
    assert proc.returncode == 2, explain(proc)
    assert "prompt too big" in proc.stderr
    assert "window of 2048 tokens" in proc.stderr
    assert llm.url in proc.stderr and MODEL in proc.stderr
    assert "no answer from the model" not in proc.stderr
    assert json.loads(proc.stdout)["status"] == "prompt_too_big"
    assert requests == []  # nothing was sent that the server would have cut
    assert calc.read_bytes() == before


# -- a server that refuses a long prompt ---------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "silent"),
    [("ollama", False), ("openai", False), ("ollama", True), ("openai", True)],
)
def test_a_refusal_teaches_the_window_and_round_1_is_narrowed(
    tmp_path: Path, provider: str, silent: bool
) -> None:
    """``silent``: the refused stream ends empty (llama-cpp-python's server, through the
    Ollama shim); asked again without streaming, the server says why."""
    calc = make_project(tmp_path, helpers=200)
    fake = FakeLLM([answer(FIXED_ADD)], MODEL, n_ctx=6000, silent_stream_errors=silent)
    with fake as llm:
        url = llm.url + "/v1" if provider == "openai" else llm.url
        proc = run_cli(calc, provider, url)
        refused, requests = llm.refused, llm.requests
    assert proc.returncode == 0, explain(proc)
    assert len(refused) == 1 + silent and "return total" in llm_prompt(refused[0])  # whole file
    assert "too large to show whole" in llm_prompt(requests[0])  # then narrowed
    assert "refused a prompt too long" in proc.stderr


@pytest.mark.parametrize("provider", ["ollama", "openai"])
def test_a_refusal_of_every_prompt_is_prompt_too_big(tmp_path: Path, provider: str) -> None:
    calc = make_project(tmp_path, helpers=120)
    with FakeLLM([answer(FIXED_ADD)], MODEL, n_ctx=300) as llm:
        url = llm.url + "/v1" if provider == "openai" else llm.url
        proc = run_cli(calc, provider, url)
    assert proc.returncode == 2, explain(proc)
    assert "prompt too big" in proc.stderr
    assert "window of 300 tokens" in proc.stderr
    assert "no answer from the model" not in proc.stderr


def test_openai_window_from_llama_cpp_props_narrows_before_sending(tmp_path: Path) -> None:
    calc = make_project(tmp_path, helpers=200)
    with FakeLLM([answer(FIXED_ADD)], MODEL, props_n_ctx=8192) as llm:
        proc = run_cli(calc, "openai", llm.url + "/v1")
        requests = llm.requests
    assert proc.returncode == 0, explain(proc)
    assert "too large to show whole" in llm_prompt(requests[0])


# -- the pieces ----------------------------------------------------------------------------


def test_stable_windows_are_few_and_capped() -> None:
    assert [stable_window(n) for n in (10, 4096, 4097, 9000, 20000)] == [
        4096, 4096, 8192, 16384, 32768,
    ]  # fmt: skip
    assert stable_window(20000, maximum=16384) == 16384
    assert estimate_tokens(["x" * 300]) >= 100  # 3 characters a token, rounded up


@pytest.mark.parametrize(
    ("message", "prompt", "window"),
    [
        ("Requested tokens (47210) exceed context window of 16384", 47210, 16384),
        (
            "Error code: 400 - {'error': {'code': 400, 'message': 'request (25837 tokens) "
            "exceeds the available context size (25088 tokens), try increasing it', 'type': "
            "'exceed_context_size_error', 'n_prompt_tokens': 25837, 'n_ctx': 25088}}",
            25837,
            25088,
        ),
        (
            "This model's maximum context length is 8192 tokens. However, your messages "
            "resulted in 9000 tokens. (code: context_length_exceeded)",
            9000,
            8192,
        ),
    ],
)
def test_context_overflow_errors_are_recognised(message: str, prompt: int, window: int) -> None:
    found = overflow(RuntimeError(message))
    assert found is not None
    assert (found.prompt_tokens, found.window) == (prompt, window)
    assert overflow(RuntimeError("Connection refused")) is None


def test_windows_are_read_where_the_server_states_them() -> None:
    with FakeLLM(["x"], MODEL, context_length=32768, props_n_ctx=4096) as llm:
        ollama = OllamaProvider(MODEL, llm.url).context_window()
        openai = OpenAIProvider(MODEL, llm.url + "/v1").context_window()
        OllamaProvider(MODEL, llm.url).context_window()  # cached: not asked again
        shows = [h for h in llm.hits if h == ("POST", "/api/show")]
    assert (ollama.tokens, openai.tokens) == (32768, 4096)
    assert "fake.context_length" in ollama.source and "/props" in openai.source
    assert len(shows) == 1


def test_busy_one_request_server_passes_the_health_check() -> None:
    """llama.cpp answers even its model list only after the generation it is busy with:
    longer than the 5 s to connect, well within the time a request may take."""
    with FakeLLM(["x"], MODEL, list_delay=provider_base.HEALTH_TIMEOUT + 0.5) as llm:
        OpenAIProvider(MODEL, llm.url + "/v1", request_timeout=30).check()


@pytest.mark.parametrize("provider", ["ollama", "openai"])
def test_a_recent_health_check_is_trusted(provider: str) -> None:
    with FakeLLM(["x"], MODEL) as llm:
        if provider == "ollama":
            OllamaProvider(MODEL, llm.url).check()
            first = len(llm.hits)
            OllamaProvider(MODEL, llm.url).check()
        else:
            OpenAIProvider(MODEL, llm.url + "/v1").check()
            first = len(llm.hits)
            OpenAIProvider(MODEL, llm.url + "/v1").check()
        assert first == 1 and len(llm.hits) == first  # the server was not asked again


def llm_prompt(body: dict[str, object]) -> str:
    messages = body["messages"]
    assert isinstance(messages, list)
    return "\n".join(str(m["content"]) for m in messages)


def test_an_excerpt_follows_the_lines_the_problems_cite_as_data() -> None:
    base = "def f():\n    return 1\n\n\ndef g():\n    x = 1\n    return 2\n"
    problems = "- ruff line 6:5: F841 unused `x`\n- tests: File test_m.py, line 2, in test_f"
    found = fit.excerpt("m.py", base, problems, (), None, "", None, cited=(6,))
    assert found is not None and found[1] == "g"
    # "line 2" in the text is a test file's line: it is not read back as one of this file's
    assert fit.excerpt("m.py", base, problems, (), None, "", None) is None
