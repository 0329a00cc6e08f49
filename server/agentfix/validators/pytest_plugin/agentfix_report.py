"""A pytest plugin agentfix loads into every test run it makes (``PYTEST_PLUGINS``).

It is the runner's own report channel: the verdict of a candidate is taken from the
outcome of each test id written here, never from the exit status alone. Standard library
and pytest only, so it works with any project's interpreter. Driven by environment:

* ``AGENTFIX_REPORT``: where to write the JSON report (at the end of the session);
* ``AGENTFIX_PROGRESS``: a file rewritten after each test with ``done total``;
* ``AGENTFIX_TARGET`` / ``AGENTFIX_TARGET_MODULE``: the file under test (each of its paths,
  one per line: a symlinked file is in the copy twice) and its dotted
  name, to report where the tests imported it from (the copy, or somewhere else);
* ``AGENTFIX_SELECT``: newline-separated test files or test ids (relative to the
  rootdir): only these are collected and run (the cheap stages of a validation);
* ``AGENTFIX_REVERSE=1``: run the tests in reverse order (a re-run that shakes out
  order-dependent results);
* ``AGENTFIX_TOUCH=1``: record which tests executed code of the target file;
* ``AGENTFIX_COVER=1``: record, per test, which functions of the target file it ran
  (``sys.monitoring``, Python 3.12+: cheap enough for a whole suite; not recorded on
  older Pythons, whose profile hook would make the suite about 2.5 times slower).

Only the first pytest session of a test run records (``AGENTFIX_SESSION`` marks the
ones after it, and xdist workers are told apart): a pytest the code under test starts
again — to re-run the tests its own way, or after it rewrote them — writes no report,
and no report is a failure. A project's own nested pytest runs (pytester) stay theirs.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
from typing import Any

import pytest

REPORT = os.environ.get("AGENTFIX_REPORT")
PROGRESS = os.environ.get("AGENTFIX_PROGRESS")
TARGET = os.environ.get("AGENTFIX_TARGET", "")
TARGET_MODULE = os.environ.get("AGENTFIX_TARGET_MODULE", "")
SELECT = [s for s in os.environ.get("AGENTFIX_SELECT", "").splitlines() if s]
SELECT_FILES = {s.split("::", 1)[0] for s in SELECT}
SELECT_IDS = {s for s in SELECT if "::" in s}
REVERSE = os.environ.get("AGENTFIX_REVERSE") == "1"
TOUCH = os.environ.get("AGENTFIX_TOUCH") == "1" and bool(TARGET)
COVER = os.environ.get("AGENTFIX_COVER") == "1" and bool(TARGET)
MAX_TEXT = 4000

_outcomes: dict[str, str] = {}
_durations: dict[str, float] = {}
_texts: dict[str, str] = {}
_touched: set[str] = set()
_covers: dict[str, set[str]] = {}
_covering = [False]
_current: list[str] = []
_collected = [0]
_done = [0]
_started = time.monotonic()


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


# the file under test, by each path it has in the copy (a symlinked file is copied to both)
_TARGETS_REAL = frozenset(_real(path) for path in TARGET.split("\n") if path)


_is_target: dict[str, bool] = {}


def _profile(frame, event, arg):  # type: ignore[no-untyped-def]
    if event != "call" or not _current:
        return
    name = frame.f_code.co_filename
    hit = _is_target.get(name)
    if hit is None:
        hit = _is_target[name] = _real(name) in _TARGETS_REAL
    if hit:
        _touched.add(_current[0])


def _on_start(code, offset):  # type: ignore[no-untyped-def]
    """``sys.monitoring`` PY_START: code of other files is never reported again."""
    name = code.co_filename
    hit = _is_target.get(name)
    if hit is None:
        hit = _is_target[name] = _real(name) in _TARGETS_REAL
    if not hit:
        return sys.monitoring.DISABLE  # type: ignore[attr-defined]  # 3.12+: see _watch
    if _current:
        _covers.setdefault(_current[0], set()).add(code.co_qualname)
    return None


def _start_cover() -> None:
    monitoring = getattr(sys, "monitoring", None)
    if not COVER or monitoring is None:
        return
    free = [t for t in (3, 4) if monitoring.get_tool(t) is None]
    if not free:
        return
    monitoring.use_tool_id(free[0], "agentfix-cover")
    monitoring.register_callback(free[0], monitoring.events.PY_START, _on_start)
    monitoring.set_events(free[0], monitoring.events.PY_START)
    _covering[0] = True


def _guarded() -> dict[str, object]:
    """Identities of the pytest internals a report could be faked through, taken when
    this plugin loads (before the project's conftests and code): what the code under test
    replaces shows up at the end of the session."""
    import _pytest.main
    import _pytest.python
    import _pytest.reports
    import _pytest.runner

    found: dict[str, object] = {}
    for owner in (
        _pytest.reports.BaseReport,
        _pytest.reports.TestReport,
        _pytest.runner.CallInfo,
        _pytest.python.Function,
        _pytest.main.Session,
        _pytest.runner,
        _pytest.main,
    ):
        space = owner.__name__
        for name, value in list(vars(owner).items()):
            if callable(value) or isinstance(value, property | classmethod | staticmethod):
                found[f"{space}.{name}"] = value
    return found


def _tampered() -> list[str]:
    now = _guarded()
    return sorted(name for name, value in _GUARDED.items() if now.get(name) is not value)


_GUARDED = _guarded()
_owner: list[object] = []
NESTED = bool(os.environ.get("AGENTFIX_SESSION"))


def pytest_configure(config):  # type: ignore[no-untyped-def]
    """The first session of the run (or an xdist worker of it) records; later ones —
    nested, or started again by the code under test — do not."""
    if _owner or (NESTED and not hasattr(config, "workerinput")):
        return
    _owner.append(config)
    os.environ["AGENTFIX_SESSION"] = str(os.getpid())
    config.pluginmanager.register(_Recorder(), "agentfix-recorder")
    if not hasattr(config, "workerinput"):
        _start_cover()


class _Recorder:
    """The hooks of the session that records (see the module's docstring)."""

    def pytest_ignore_collect(self, collection_path, config):  # type: ignore[no-untyped-def]
        """With ``AGENTFIX_SELECT``, collect only the selected test files."""
        if not SELECT or not str(collection_path).endswith(".py"):
            return None
        if collection_path.name == "conftest.py":
            return None
        root = str(config.rootpath)
        rel = os.path.relpath(str(collection_path), root).replace(os.sep, "/")
        return None if rel in SELECT_FILES else True

    def pytest_collection_modifyitems(self, session, config, items):  # type: ignore[no-untyped-def]
        if SELECT_IDS:
            whole = SELECT_FILES - {s.split("::", 1)[0] for s in SELECT_IDS}
            keep: list[Any] = []
            drop: list[Any] = []
            for item in items:
                chosen = item.nodeid in SELECT_IDS or item.nodeid.split("::", 1)[0] in whole
                (keep if chosen else drop).append(item)
            if drop:
                config.hook.pytest_deselected(items=drop)
                items[:] = keep
        if REVERSE:
            items.reverse()

    def pytest_collection_finish(self, session):  # type: ignore[no-untyped-def]
        _collected[0] = len(session.items)
        _write_progress()

    def pytest_collectreport(self, report):  # type: ignore[no-untyped-def]
        if report.failed:
            _outcomes[report.nodeid or "<session>"] = "error"
            _texts[report.nodeid or "<session>"] = str(report.longrepr)[-MAX_TEXT:]

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):  # type: ignore[no-untyped-def]
        _current[:] = [item.nodeid]
        if TOUCH:
            sys.setprofile(_profile)
            threading.setprofile(_profile)
        try:
            yield
        finally:
            if TOUCH:
                sys.setprofile(None)
                threading.setprofile(None)
            _current[:] = []
            _done[0] += 1
            _write_progress()

    def pytest_runtest_logreport(self, report):  # type: ignore[no-untyped-def]
        nodeid = report.nodeid
        _durations[nodeid] = _durations.get(nodeid, 0.0) + float(report.duration or 0.0)
        outcome: str | None
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            outcome = "failed" if report.when == "call" else "error"
        elif report.skipped:
            outcome = "skipped"
        else:
            outcome = "passed" if report.when == "call" else None
        previous = _outcomes.get(nodeid)
        if outcome is None:
            _outcomes.setdefault(nodeid, "passed")  # setup passed; call decides
            return
        if previous in ("failed", "error"):
            return  # a teardown that passes does not undo a failure
        _outcomes[nodeid] = outcome
        if report.failed:
            _texts[nodeid] = str(report.longrepr)[-MAX_TEXT:]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):  # type: ignore[no-untyped-def]
        if not REPORT or hasattr(session.config, "workerinput"):
            return  # an xdist worker: the controller writes the report
        # with pytest-xdist the workers import the code: the controller cannot say from where
        distributed = getattr(session.config.option, "dist", "no") not in ("no", None)
        report = {
            "version": 1,
            "exitstatus": int(exitstatus),
            "collected": max(_collected[0], len(_outcomes)),
            "outcomes": _outcomes,
            "durations": {k: round(v, 4) for k, v in _durations.items()},
            "texts": _texts,
            "touched": sorted(_touched),
            # None: not recorded (older Python, xdist); else test -> functions of the target
            "covers": {t: sorted(q) for t, q in _covers.items()}
            if _covering[0] and not distributed
            else None,
            "target": _target() if TARGET and not distributed else None,
            "seconds": round(time.monotonic() - _started, 3),
            "tampered": _tampered(),
        }
        tmp = REPORT + ".tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(report, fh)
            os.replace(tmp, REPORT)
        except OSError as exc:  # no report is a failure; say why in the run's output
            print(f"agentfix: cannot write the test report {REPORT}: {exc}", file=sys.stderr)


def _write_progress() -> None:
    if not PROGRESS:
        return
    try:
        with open(PROGRESS, "w", encoding="utf-8") as fh:
            fh.write(f"{_done[0]} {_collected[0]}")
    except OSError:
        pass


def _target() -> dict[str, object]:
    """Where the tests imported the file under test from (never imports anything)."""
    found: str | None = None
    elsewhere: list[str] = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str):
            continue
        if _real(path) in _TARGETS_REAL:
            found = path
        elif TARGET_MODULE and name == TARGET_MODULE:
            elsewhere.append(path)
    digest = None
    if found:
        try:
            with open(found, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            digest = None
    return {"file": found, "sha256": digest, "elsewhere": elsewhere}
