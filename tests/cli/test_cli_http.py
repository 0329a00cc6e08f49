"""End to end over HTTP: the real ``agentfix fix`` CLI, the real ChatOllama / ChatOpenAI
clients, and a scripted fake Ollama / OpenAI server on 127.0.0.1.

Each run validates the original (compile, ruff, the tiny project's pytest suite in the
sandbox), health-checks the provider, streams answers, validates them and feeds failures
back; the fake records what the model was told.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from fake_llm import FakeLLM

MODEL = "fake-model"
CLI_TIMEOUT = 120  # seconds; a run takes a few seconds, far less than this

BUGGY = '''"""Tiny calculator."""


def add(a, b):
    """The sum of a and b."""
    return a - b
'''

WRONG = BUGGY.replace("return a - b", "return a * b")
FIXED = BUGGY.replace("return a - b", "return a + b")
REWRITTEN_WRONG = 'def add(a, b):\n    """The sum of a and b."""\n    return a * 1\n'

TESTS = """from calc import add


def test_add_small_numbers():
    assert add(2, 3) == 5


def test_add_zero():
    assert add(0, 7) == 7
"""

PYPROJECT = """[project]
name = "calc"
version = "0"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["."]
"""


def answer(code: str) -> str:
    """A model reply as a chatty small model writes it: prose around one fenced block."""
    return f"Here is the corrected file:\n\n```python\n{code}```\n\nThis fixes the bug."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny pytest project whose ``calc.add`` subtracts; returns the path of calc.py."""
    root = tmp_path / "proj"
    (root / "tests").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "tests" / "test_calc.py").write_text(TESTS, encoding="utf-8")
    calc = root / "calc.py"
    calc.write_text(BUGGY, encoding="utf-8")
    return calc


def base_url(llm_url: str, provider: str) -> str:
    return llm_url + "/v1" if provider == "openai" else llm_url


def run_cli(
    calc: Path, provider: str, url: str, *extra: str, rounds: int = 3
) -> subprocess.CompletedProcess[str]:
    """``python -m agentfix fix calc.py`` with one candidate per round (deterministic)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGENTFIX_")}
    env.pop("OPENAI_API_KEY", None)
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    command = [
        sys.executable, "-m", "agentfix", "fix", str(calc),
        "--provider", provider, "--model", MODEL, "--base-url", url,
        "--candidates", "1", "--rounds", str(rounds), *extra,
    ]  # fmt: skip
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        cwd=calc.parent,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def closed_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def explain(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


PROVIDERS = pytest.mark.parametrize("provider", ["ollama", "openai"])


@PROVIDERS
def test_wrong_fix_then_feedback_then_right_fix(project: Path, provider: str) -> None:
    with FakeLLM([answer(WRONG), answer(REWRITTEN_WRONG), answer(FIXED)], MODEL) as llm:
        proc = run_cli(project, provider, base_url(llm.url, provider))
        requests = llm.requests
        hits = llm.hits
    assert proc.returncode == 0, explain(proc)
    assert project.read_text(encoding="utf-8") == FIXED
    assert len(requests) == 3, explain(proc)
    health = ("GET", "/api/tags") if provider == "ollama" else ("GET", "/v1/models")
    assert hits[0] == health
    for body in requests:
        assert body["model"] == MODEL
        assert body["stream"] is True  # the engine streams so a cancel can stop generation
    if provider == "openai":
        assert requests[0]["stream_options"] == {"include_usage": True}
    else:
        assert requests[0]["options"]["num_predict"] == 2048
    first, second, third = ("\n".join(m["content"] for m in r["messages"]) for r in requests)
    assert [m["role"] for m in requests[0]["messages"]] == ["system", "user"]
    assert [m["role"] for m in requests[1]["messages"]] == ["system", "user"]
    assert [m["role"] for m in requests[2]["messages"]] == ["system", "user", "user"]
    # Round 1 is told about the original's failure, ...
    assert "return a - b" in first
    assert "test_add_small_numbers" in first
    assert "assert -1 == 5" in first
    assert "Your previous attempt" not in first
    # ... round 2 asks for `add` anew from its signature and docstring (no buggy body), ...
    assert "Write `add` of `calc.py` anew" in second and "return a - b" not in second
    assert "test_add_small_numbers" in second
    # ... round 3 hears how the rewrite failed: the feedback reached the model.
    feedback = requests[2]["messages"][-1]["content"]
    assert "Your previous attempt" in feedback
    assert "+    return a * 1" in feedback  # the diff of the failed attempt
    assert "test_add_small_numbers" in feedback
    assert "assert 2 == 5" in feedback
    assert "assert 2 == 5" not in first
    # The stable prefix (system + file + problems) is identical, so prompt caches hit.
    assert requests[0]["messages"][:2] == requests[2]["messages"][:2]
    assert third.startswith(first)
    assert requests[1]["messages"][0] == requests[0]["messages"][0]
    assert "fixed calc.py" in proc.stderr


@PROVIDERS
def test_provider_down_exits_2_and_names_the_url(project: Path, provider: str) -> None:
    url = base_url(f"http://127.0.0.1:{closed_port()}", provider)
    before = project.read_bytes()
    proc = run_cli(project, provider, url)
    assert proc.returncode == 2, explain(proc)
    assert url in proc.stderr
    assert "not reachable" in proc.stderr
    assert project.read_bytes() == before


def test_ollama_model_not_pulled_exits_2(project: Path) -> None:
    before = project.read_bytes()
    with FakeLLM([answer(FIXED)], MODEL, served_models=["other-model:latest"]) as llm:
        proc = run_cli(project, "ollama", llm.url)
        requests = llm.requests
    assert proc.returncode == 2, explain(proc)
    assert f"ollama pull {MODEL}" in proc.stderr
    assert "other-model:latest" in proc.stderr  # what the server does have
    assert requests == []  # the health check stopped it before any generation
    assert project.read_bytes() == before


@PROVIDERS
def test_json_output(project: Path, provider: str) -> None:
    with FakeLLM([answer(FIXED)], MODEL) as llm:
        proc = run_cli(project, provider, base_url(llm.url, provider), "--json")
        requests = llm.requests
    assert proc.returncode == 0, explain(proc)
    result = json.loads(proc.stdout)
    assert result["status"] == "fixed"
    assert result["written"] is True
    assert result["rounds"] == 1
    assert result["models"] == [MODEL]
    assert "+    return a + b" in result["diff"]
    best = next(c for c in result["candidates"] if c["id"] == result["best_candidate"])
    assert best["validated"] is True
    assert best["origin"] == f"model:{MODEL}"
    # Token usage streamed by the fake reached the engine through the real client.
    assert best["answer"]["prompt_tokens"] is not None and best["answer"]["prompt_tokens"] > 0
    assert best["answer"]["output_tokens"] is not None and best["answer"]["output_tokens"] > 0
    assert {c["name"]: c["status"] for c in best["checks"]}["tests"] == "pass"
    assert len(requests) == 1
    assert project.read_text(encoding="utf-8") == FIXED


def test_diff_writes_nothing(project: Path) -> None:
    before = project.read_bytes()
    with FakeLLM([answer(FIXED)], MODEL) as llm:
        proc = run_cli(project, "ollama", llm.url, "--diff")
    assert proc.returncode == 0, explain(proc)
    assert project.read_bytes() == before
    assert proc.stdout.startswith("--- a/calc.py\n+++ b/calc.py\n")
    assert "-    return a - b\n" in proc.stdout
    assert "+    return a + b\n" in proc.stdout


def test_trace_records_prompts(project: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace.json"
    with FakeLLM([answer(WRONG), answer(REWRITTEN_WRONG), answer(FIXED)], MODEL) as llm:
        proc = run_cli(project, "openai", base_url(llm.url, "openai"), "--trace", str(trace))
        requests = llm.requests
    assert proc.returncode == 0, explain(proc)
    data = json.loads(trace.read_text(encoding="utf-8"))
    assert data["summary"]["status"] == "fixed"
    answers = [e for e in data["events"] if e["kind"] == "answer"]
    assert [a["round"] for a in answers] == [1, 2, 3]
    # The traced prompts are exactly what went over the wire.
    for event, body in zip(answers, requests, strict=True):
        assert [m["content"] for m in event["prompt"]] == [m["content"] for m in body["messages"]]
    assert "return a - b" in answers[0]["prompt"][1]["content"]
    assert "assert 2 == 5" in answers[2]["prompt"][-1]["content"]
    assert [a["text"] for a in answers] == [answer(c) for c in (WRONG, REWRITTEN_WRONG, FIXED)]
    assert any(e["kind"] == "feedback" for e in data["events"])


def test_fake_answers_without_streaming_too() -> None:
    """The fake's non-streaming paths (the CLI always streams) work with the real clients."""
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    with FakeLLM(["first", "second"], MODEL) as llm:
        ollama = ChatOllama(model=MODEL, base_url=llm.url, validate_model_on_init=True)
        reply = ollama.invoke("hello", stream=False)
        openai = ChatOpenAI(
            model=MODEL,
            base_url=llm.url + "/v1",
            api_key="not-needed",  # type: ignore[arg-type]
            max_retries=0,
            timeout=10,
        )
        second = openai.invoke("hello again")
        third = openai.invoke("and again")
        requests = llm.requests
    assert (reply.content, second.content, third.content) == ("first", "second", "second")
    assert reply.usage_metadata is not None and reply.usage_metadata["input_tokens"] == 1
    assert second.usage_metadata is not None and second.usage_metadata["input_tokens"] == 2
    assert [r["stream"] for r in requests] == [False, False, False]
