"""A real Emacs end to end: Debian's Emacs 28 with ``elpa-eglot``, configured with the README's
Emacs snippet verbatim (only its values point at a fake model), run as a terminal session in
tmux and driven with keystrokes as a user would: ``M-x eglot-code-actions``, pick "Fix file
with local agent", answer eglot's "Server wants to edit ... Proceed?" with ``y``, ``C-x C-s``.

What it guards, as a user would notice it:

* the settings reach the model: eglot sends ``workspace/didChangeConfiguration`` with
  ``{"settings": {}}`` right after connecting; a server that let it replace the
  ``initializationOptions`` would ask the default model at the default URL. Every value here
  differs from the defaults (provider ``openai``, a made-up model name, a random port);
* no freeze, no timeout: eglot's ``workspace/executeCommand`` is synchronous under jsonrpc's
  10 s limit and the fake model answers only after 12 s, so a server that answers the command
  at the end of the fix freezes Emacs and ends in ``jsonrpc-error ... Timed out``;
* the fix arrives as ``workspace/applyEdit``, eglot applies it to the buffer, the saved file
  passes the project's tests.

Not part of the default run (``testpaths = ["tests"]``); ``.ci/run`` runs ``tests_e2e`` after
``bash tests_e2e/editors/install_emacs.sh`` (emacs-nox, elpa-eglot, tmux). Without Emacs or
tmux the test is skipped. On failure, *Messages*, eglot's events and stderr buffers, the
JSON-RPC events and the last screen are in the test's ``emacs/artifacts`` folder (the
assertion message names it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))  # fake_llm, scripted (tests/ is not a package)

from fake_llm import FakeLLM  # noqa: E402
from scripted import fenced  # noqa: E402

EMACS = shutil.which("emacs")
EMACSCLIENT = shutil.which("emacsclient")
TMUX = shutil.which("tmux")
README = REPO / "README.md"
HARNESS = Path(__file__).resolve().parent / "emacs" / "agentfix_e2e.el"
VENV_BIN = Path(sys.executable).parent  # `python3` of the README's snippet resolves here

BUGGY = "def add(a, b):\n    return a - b\n"
FIXED = "def add(a, b):\n    return a + b\n"
TESTS = "from calc import add\n\n\ndef test_add():\n    assert add(2, 3) == 5\n"
PYPROJECT = '[tool.pytest.ini_options]\ntestpaths = ["tests"]\n'

PROVIDER = "openai"  # the default is ollama
MODEL = "emacs-e2e-coder:7b"  # the default is qwen2.5-coder:1.5b
ANSWER_DELAY = 12.0  # seconds: longer than jsonrpc-default-request-timeout (10 s)
JSONRPC_TIMEOUT = 10.0
ACTION = "Fix file with local agent"

# Test environment only: no background native compilation of the elpa packages (it competes
# for the CI machine's two cores and pops up a *Warnings* window). The user's init.el is
# the README's snippet alone.
EARLY_INIT = "(setq native-comp-deferred-compilation nil)\n"

pytestmark = pytest.mark.skipif(
    not (EMACS and EMACSCLIENT and TMUX),
    reason="Emacs or tmux is not installed; .ci/run installs them "
    "(tests_e2e/editors/install_emacs.sh: emacs-nox, elpa-eglot, tmux)",
)


class SlowFakeLLM(FakeLLM):
    """The fake model, answering each chat request only after ``delay`` seconds (recorded
    at arrival), as a local model generating a whole file does."""

    def __init__(self, *args: Any, delay: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.delay = delay

    def _next_answer(self, body: dict[str, Any]) -> str:
        answer = super()._next_answer(body)
        self._stopping.wait(self.delay)  # a stopped fake answers at once
        return answer


def readme_snippet() -> str:
    """The ```elisp block under **Emacs** in README.md, verbatim."""
    text = README.read_text()
    found = re.search(r"^\*\*Emacs\*\*.*?^```elisp\n(.*?)^```$", text, re.S | re.M)
    assert found, "README.md has no ```elisp block under **Emacs**"
    return found.group(1)


def with_values(snippet: str, values: dict[str, str]) -> str:
    """The snippet with the string after each ``:key`` replaced; nothing else changes."""
    for key, value in values.items():
        quoted = json.dumps(value)
        snippet, count = re.subn(rf'(:{key}\s+)"[^"\\]*"', rf"\g<1>{quoted}", snippet)
        assert count == 1, f"the README's Emacs snippet sets :{key} {count} times, not once"
    return snippet


def write_project(root: Path) -> Path:
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "tests").mkdir()
    (root / "tests" / "test_calc.py").write_text(TESTS)
    calc = root / "calc.py"
    calc.write_text(BUGGY)
    return calc


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without agentfix/pytest/Emacs settings, HOME in ``home``
    (the user's init.el and agentfix's cache live there), the venv first on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AGENTFIX_", "PYTEST_", "EMACS", "TMUX", "XDG_", "OPENAI_"))
        and k not in ("OLLAMA_HOST", "VIRTUAL_ENV", "PYTHONPATH")
    }
    env["HOME"] = str(home)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    env.update(extra)
    return env


class EmacsSession:
    """`emacs -nw` in a detached tmux session: keystrokes in, screen and state out."""

    def __init__(self, work: Path, project: Path, calc: Path, env: dict[str, str]) -> None:
        self.work = work
        self.project = project
        self.calc = calc
        self.env = env
        # Sockets in a short folder: a Unix socket's path is limited to 107 bytes.
        self.sockets = Path(tempfile.mkdtemp(prefix="agentfix-emacs-"))
        self.tmux_socket = self.sockets / "tmux"
        self.emacs_socket = self.sockets / "server" / "agentfix-e2e"
        self.events_file = work / "events.jsonl"
        self.artifacts = work / "artifacts"
        self.log: list[str] = []  # what the test did, with times

    # -- tmux -------------------------------------------------------------------------------

    def _tmux(self, *args: str) -> str:
        proc = subprocess.run(
            [TMUX or "tmux", "-S", str(self.tmux_socket), "-f", "/dev/null", *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert proc.returncode == 0, f"tmux {args}: {proc.stderr}"
        return proc.stdout

    def start(self) -> None:
        self.emacs_socket.parent.mkdir(mode=0o700)
        self.artifacts.mkdir()
        self.env = {
            **self.env,
            "AGENTFIX_E2E_SOCKET": str(self.emacs_socket),
            "AGENTFIX_E2E_EVENTS": str(self.events_file),
        }
        command = f"emacs -nw -l {HARNESS} {self.calc.name}; sleep 600"
        self._tmux("new-session", "-d", "-s", "e2e", "-x", "200", "-y", "50",
                   "-c", str(self.project), command)  # fmt: skip
        self.note("emacs started")

    def note(self, what: str) -> None:
        self.log.append(f"{time.strftime('%H:%M:%S')} {what}")

    def keys(self, *keys: str) -> None:
        """tmux key names: "M-x", "Enter", "Tab", "C-x"."""
        self._tmux("send-keys", "-t", "e2e", *keys)
        self.note(f"keys {' '.join(keys)}")

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "e2e", "-l", text)
        self.note(f"typed {text!r}")

    def screen(self) -> str:
        try:
            return self._tmux("capture-pane", "-p", "-t", "e2e")
        except AssertionError as error:
            return f"(no screen: {error})"

    # -- Emacs state ------------------------------------------------------------------------

    def eval(self, form: str, timeout: float = 20) -> Any:
        """Evaluate an elisp form returning a JSON string; its value, or None when the
        Emacs server does not answer (not started yet, gone)."""
        try:
            proc = subprocess.run(
                [EMACSCLIENT or "emacsclient", "-s", str(self.emacs_socket), "--eval", form],
                env=self.env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
        if proc.returncode != 0:
            return None
        try:  # emacsclient prints the JSON string as a Lisp string
            printed = json.loads(proc.stdout)
            return json.loads(printed) if isinstance(printed, str) else printed
        except ValueError:
            return None

    def state(self) -> dict[str, Any]:
        answer = self.eval(f"(agentfix-e2e-state {json.dumps(str(self.calc))})")
        return answer if isinstance(answer, dict) else {}

    def poll(
        self, what: str, ready: Callable[[dict[str, Any]], bool], timeout: float
    ) -> dict[str, Any] | None:
        """The first state ``ready`` accepts within ``timeout`` seconds, else None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state()
            if state and ready(state):
                self.note(what)
                return state
            time.sleep(0.25)
        self.note(f"NOT {what} within {timeout:.0f} s")
        return None

    def wait_for(
        self, what: str, ready: Callable[[dict[str, Any]], bool], timeout: float
    ) -> dict[str, Any]:
        state = self.poll(what, ready, timeout)
        if state is None:
            raise AssertionError(f"{what}: not within {timeout:.0f} s\n{self.report()}")
        return state

    def shown_messages(self, types: tuple[int, ...] = (1, 2, 3, 4)) -> list[str]:
        """What the server showed (window/showMessage) of these types (1 error, 2 warning)."""
        shown = rpc(self.events(), "server-notification", "window/showMessage")
        return [str(e["message"]["params"].get("message")) for e in shown
                if e["message"]["params"].get("type") in types]  # fmt: skip

    def failed_messages(self) -> list[str]:
        return self.shown_messages((1, 2))

    def events(self) -> list[dict[str, Any]]:
        if not self.events_file.is_file():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines() if line]

    def messages(self) -> str:
        path = self.artifacts / "Messages.txt"
        return path.read_text(errors="replace") if path.is_file() else ""

    def dump(self) -> None:
        """*Messages*, eglot's buffers and the screen into the artifacts folder."""
        (self.artifacts / "screen.txt").write_text(self.screen())
        (self.artifacts / "steps.txt").write_text("\n".join(self.log) + "\n")
        self.eval(f"(agentfix-e2e-dump {json.dumps(str(self.artifacts))})")
        if self.events_file.is_file():
            shutil.copy(self.events_file, self.artifacts / "events.jsonl")

    def report(self) -> str:
        self.dump()
        return (
            f"artifacts: {self.artifacts}\nsteps:\n" + "\n".join(self.log)
            + f"\n*Messages* (end):\n{self.messages()[-3000:]}"
            + f"\nscreen:\n{self.screen()}"
        )  # fmt: skip

    def stop(self) -> None:
        self.eval("(kill-emacs 0)", timeout=5)
        try:
            self._tmux("kill-server")
        except AssertionError:
            pass  # already gone
        shutil.rmtree(self.sockets, ignore_errors=True)


def rpc(events: list[dict[str, Any]], type_: str, method: str) -> Iterator[dict[str, Any]]:
    """Events of one type ("client-request", "server-notification", ...) and method."""
    return (e for e in events if e["type"] == type_ and e["message"].get("method") == method)


def reply_to(events: list[dict[str, Any]], type_: str, request: dict[str, Any]) -> dict[str, Any]:
    ident = request["message"]["id"]
    replies = [e for e in events if e["type"] == type_ and e["message"].get("id") == ident
               and "method" not in e["message"]]  # fmt: skip
    assert replies, f"no {type_} to {request}"
    return replies[0]


def test_emacs_eglot_with_the_readme_config(tmp_path: Path) -> None:
    started = time.monotonic()
    project = tmp_path / "project"
    project.mkdir()
    calc = write_project(project)
    home = tmp_path / "home"
    (home / ".emacs.d").mkdir(parents=True)
    work = tmp_path / "emacs"
    work.mkdir()

    with SlowFakeLLM([fenced(FIXED)], model=MODEL, delay=ANSWER_DELAY) as fake:
        base_url = fake.url + "/v1"
        values = {"provider": PROVIDER, "model": MODEL, "baseUrl": base_url}
        init = with_values(readme_snippet(), values)
        (home / ".emacs.d" / "init.el").write_text(init)
        (home / ".emacs.d" / "early-init.el").write_text(EARLY_INIT)
        env = clean_env(home)
        python3 = shutil.which("python3", path=env["PATH"])
        assert python3 == str(VENV_BIN / "python3"), f"the snippet's python3 is {python3}"
        emacs = EmacsSession(work, project, calc, env)
        try:
            emacs.start()
            connected = emacs.wait_for(
                "eglot connected", lambda s: bool(s.get("managed") and s.get("running")), 90
            )
            assert connected["major-mode"] == "python-mode", connected
            emacs.note(f"Emacs {connected['emacs']}, eglot {connected['eglot']}")

            # M-x eglot-code-actions, then pick the action as a user does (TAB completes).
            emacs.keys("M-x")
            emacs.type("eglot-code-actions")
            emacs.keys("Enter")
            emacs.wait_for("actions offered",
                           lambda s: "Pick an action" in (s.get("prompt") or ""), 30)  # fmt: skip
            emacs.type("Fix fi")
            emacs.keys("Tab")
            emacs.wait_for("action completed", lambda s: s.get("input") == ACTION, 10)
            emacs.keys("Enter")
            chosen = time.monotonic()

            # The fix arrives as workspace/applyEdit; eglot asks first (its default
            # eglot-confirm-server-initiated-edits is `confirm'): answer y. A fix that ends
            # in an error or warning instead is judged below, with everything it left.
            asked = emacs.poll(
                "eglot asks to apply the edit (or the server reports a failure)",
                lambda s: (
                    "Server wants to edit" in (s.get("prompt") or "")
                    or bool(emacs.failed_messages())
                ),
                ANSWER_DELAY + 120,
            )
            asked_after = time.monotonic() - chosen
            if asked and "Server wants to edit" in (asked.get("prompt") or ""):
                emacs.type("y")
                emacs.wait_for("buffer fixed", lambda s: s.get("buffer") == FIXED, 30)
                emacs.keys("C-x", "C-s")
                emacs.wait_for("buffer saved", lambda s: s.get("modified") is None, 30)
                # The result message follows the edit.
                emacs.poll(
                    "result shown",
                    lambda s: any("fixed" in m for m in emacs.shown_messages()),
                    30,
                )
            context = emacs.report()
        except BaseException:
            emacs.dump()
            raise
        finally:
            emacs.stop()
        model_requests = fake.requests
        hits = fake.hits

    events = emacs.events()
    messages = emacs.messages()

    # eglot connected with the snippet's initializationOptions, then sent its empty
    # didChangeConfiguration: the case this test exists for.
    initialize = next(rpc(events, "client-request", "initialize"), None)
    assert initialize, f"eglot sent no initialize\n{context}"
    assert initialize["message"]["params"]["initializationOptions"] == values, context
    changes = rpc(events, "client-notification", "workspace/didChangeConfiguration")
    configured = [e["message"]["params"] for e in changes]
    assert {"settings": {}} in configured, (configured, context)

    # The settings survived it: the non-default model, through the OpenAI API at baseUrl.
    assert model_requests, f"the fake model got no chat request\nhits: {hits}\n{context}"
    assert {r.get("model") for r in model_requests} == {MODEL}, context
    assert ("POST", "/v1/chat/completions") in hits, (hits, context)

    # No freeze and no timeout: the command was answered long before jsonrpc's 10 s.
    assert "Timed out" not in messages and "jsonrpc-error" not in messages, context
    command = next(rpc(events, "client-request", "workspace/executeCommand"), None)
    assert command, f"eglot sent no workspace/executeCommand\n{context}"
    assert command["message"]["params"]["command"] == "agentfix.fix", command
    answer = reply_to(events, "server-reply", command)
    assert "error" not in answer["message"], (answer, context)
    assert answer["time"] - command["time"] < JSONRPC_TIMEOUT / 2, (answer, command, context)

    # The fix came as workspace/applyEdit, confirmed, applied (eglot answered applied: true).
    assert not emacs.failed_messages(), (emacs.failed_messages(), context)
    apply_edit = next(rpc(events, "server-request", "workspace/applyEdit"), None)
    assert apply_edit, f"no workspace/applyEdit\n{context}"
    applied = reply_to(events, "client-reply", apply_edit)
    assert applied["message"].get("result") == {"applied": True}, (applied, context)
    assert asked_after >= ANSWER_DELAY - 1, "the edit came before the model answered"
    assert "Edit successful!" in messages, context
    shown = emacs.shown_messages()
    assert any("calc.py" in m and "fixed" in m for m in shown), (shown, context)

    # C-x C-s wrote it; the project's own tests pass on the saved file.
    assert calc.read_text() == FIXED, context
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=clean_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert tests.returncode == 0 and "1 passed" in tests.stdout, tests.stdout + tests.stderr
    print(f"emacs end to end: {time.monotonic() - started:.1f} s")
