"""Validator 3: the project's own tests, run in a throwaway copy inside the sandbox."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from agentfix.cancel import CancelToken
from agentfix.errors import AgentfixError
from agentfix.validators.sandbox import Isolation, Limits, run_sandboxed
from agentfix.validators.verdict import Check
from agentfix.validators.workspace import Snapshot, materialize, write_candidate

SUMMARY = re.compile(r"(\d+) (failed|passed|errors?|xfailed|skipped)")
NO_TESTS_EXIT = 5  # pytest: no tests collected
SETUP_FAILED = 125  # launcher.py could not apply its limits
SANDBOX_MARKER = "agentfix-sandbox-error:"


class SandboxError(AgentfixError):
    """The sandbox itself failed: no test result can be trusted, so the fix stops."""


@dataclass(frozen=True)
class TestRunner:
    """Everything needed to run the tests of one project for many candidates."""

    command: str
    snapshot: Snapshot
    rel_path: str
    python: str
    timeout: float
    isolation: Isolation
    limits: Limits

    def environment(self, home: Path, tmp: Path) -> dict[str, str]:
        """A scrubbed environment: no secrets, the project's interpreter first on PATH."""
        bindir = str(Path(self.python).parent)
        env = {
            "PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home),
            "TMPDIR": str(tmp),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONHASHSEED": "0",
            "PYTHONUNBUFFERED": "1",
            "NO_COLOR": "1",
            "PY_COLORS": "0",
            "TERM": "dumb",
        }
        venv = Path(bindir).parent
        if (venv / "pyvenv.cfg").exists():
            env["VIRTUAL_ENV"] = str(venv)
        return env

    def run(self, source: str, token: CancelToken) -> Check:
        start = time.monotonic()
        ws = materialize(self.snapshot, link_large=self.isolation.protects_links)
        try:
            write_candidate(ws, self.rel_path, source)
            remaining = token.remaining()
            limit = self.timeout if remaining is None else max(0.5, min(self.timeout, remaining))
            result = run_sandboxed(
                self.command,
                cwd=ws.project,
                writable=ws.base,
                env=self.environment(ws.home, ws.tmp),
                timeout=limit,
                token=token,
                isolation=self.isolation,
                limits=self.limits,
                read_only=ws.linked,
            )
        finally:
            ws.cleanup()
        seconds = time.monotonic() - start
        counts = _counts(result.output)
        details = {**counts, "copy_seconds": round(ws.copy_seconds, 4), "exit": result.returncode}
        output = result.output.replace(str(ws.project) + "/", "")
        if result.returncode == SETUP_FAILED and SANDBOX_MARKER in result.output:
            raise SandboxError(
                f"the test sandbox could not start: {result.output.strip()} — set "
                "agentfix.sandbox to 'none' to run tests without isolation, or report this."
            )
        if result.cancelled:
            return Check("tests", "error", f"stopped: {token.reason}", output, seconds, details)
        if result.timed_out:
            text = f"tests timed out after {limit:.0f}s (an endless loop?)"
            return Check("tests", "fail", text, output, seconds, {**details, "timed_out": True})
        if result.returncode == 0:
            return Check("tests", "pass", _summary(counts, "tests pass"), output, seconds, details)
        if result.returncode == NO_TESTS_EXIT and "pytest" in self.command:
            text = "no tests were collected: set agentfix.testCommand to run your tests"
            return Check("tests", "error", text, output, seconds, details)
        text = _summary(counts, f"tests failed (exit {result.returncode})")
        return Check("tests", "fail", text, output, seconds, details)


def _counts(output: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    tail = "\n".join(output.splitlines()[-5:])
    for number, word in SUMMARY.findall(tail):
        counts["errors" if word.startswith("error") else word] = int(number)
    return counts


def _summary(counts: dict[str, int], fallback: str) -> str:
    if not counts:
        return fallback
    return ", ".join(f"{n} {word}" for word, n in counts.items())
