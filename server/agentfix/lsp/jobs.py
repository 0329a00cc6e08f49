"""The fixes running in this server: at most one per document, and every way to stop one.

A fix claims its document before it starts and releases it however it ends. A new fix
that finds its document held by a cancelled one waits for that one to end (it does within
about a second) rather than refusing; one held by a running fix is refused, except that a
save first cancels the fix of the previous save. Stopping a fix is only a cancel of its
token: the model call and the validators notice and end, and the claim is released then.

The editor can name a fix three ways: its document, the JSON-RPC id of the
``agentfix.fix`` request (``$/cancelRequest``), or its progress token (the progress's
cancel button). One lock guards the registry, so it stays correct whichever thread asks,
on free-threaded Python too.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from agentfix.cancel import CancelToken

ENDING_WAIT = 10.0  # seconds a new fix waits for a cancelled one of its document to end


@dataclass(eq=False)
class Job:
    """One running fix: its document, its stop signal, and a future done when it ends."""

    uri: str
    token: CancelToken
    trigger: str  # "command" or "save"
    done: asyncio.Future[None]
    progress: str | None = None  # its work-done progress token, once it has one


class Jobs:
    """The per-document registry of running fixes, with their cancel paths."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, Job] = {}
        self._progress: dict[str, str] = {}  # progress token -> uri
        self._requests: dict[Any, str] = {}  # JSON-RPC id of a running agentfix.fix -> uri

    async def claim(self, uri: str, budget: float | None, trigger: str) -> Job | None:
        """The document for a new fix (its token's clock starts now), once a cancelled fix
        of it has ended; None while another fix of it runs."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        while True:
            with self._lock:  # checked and taken at once: two waiters cannot both get it
                previous = self._running.get(uri)
                if previous is None:
                    job = Job(uri, CancelToken(budget), trigger, done)
                    self._running[uri] = job
                    return job
            if trigger == "save":
                previous.token.cancel("a new save started another fix")
            if not previous.token.stopped:
                return None
            # cancelled: it ends within a second, wait for it (never for its result)
            gone, _ = await asyncio.wait([asyncio.shield(previous.done)], timeout=ENDING_WAIT)
            if not gone:
                return None

    def show_progress(self, job: Job, progress: str | None) -> None:
        """Let the progress's cancel button stop ``job``."""
        if progress:
            with self._lock:
                job.progress = progress
                self._progress[progress] = job.uri

    def release(self, job: Job) -> None:
        """``job`` ended: free its document and wake a fix waiting for it."""
        with self._lock:
            if self._running.get(job.uri) is job:
                del self._running[job.uri]
            if job.progress:
                self._progress.pop(job.progress, None)
        if not job.done.done():
            job.done.set_result(None)

    @contextmanager
    def request(self, request_id: Any, uri: str) -> Iterator[None]:
        """While an ``agentfix.fix`` request runs, ``$/cancelRequest`` of its id stops it."""
        if request_id is not None:
            with self._lock:
                self._requests[request_id] = uri
        try:
            yield
        finally:
            with self._lock:
                self._requests.pop(request_id, None)

    def running(self, uri: str) -> bool:
        """Whether a fix of ``uri`` runs and has not been stopped."""
        with self._lock:
            job = self._running.get(uri)
        return job is not None and not job.token.stopped

    # ---- stopping ---------------------------------------------------------------------
    def cancel(self, uri: str, reason: str) -> bool:
        with self._lock:
            running = self._running.get(uri)
        if running is None:
            return False
        running.token.cancel(reason)
        return True

    def cancel_request(self, request_id: Any) -> None:
        with self._lock:
            uri = self._requests.pop(request_id, None)
        if uri is not None:
            self.cancel(uri, "cancelled by the editor")

    def cancel_progress(self, progress: str) -> None:
        with self._lock:
            uri = self._progress.get(str(progress))
        if uri:
            self.cancel(uri, "cancelled from the editor's progress")

    def cancel_all(self, reason: str) -> int:
        with self._lock:
            running = list(self._running.values())
        for job in running:
            job.token.cancel(reason)
        return len(running)
