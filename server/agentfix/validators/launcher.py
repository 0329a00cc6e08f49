"""The tiny process that starts a test command under limits and reaps everything it spawned.

It runs as ``python -I -S launcher.py SPEC`` (standard library only, so it works with any
interpreter). It joins the run's cgroups (processes, memory) when they were made, sets
resource limits, becomes a child subreaper (orphans are re-parented to it, not to init),
runs the command and, when the command ends or a SIGTERM arrives, kills every remaining
descendant. Setting limits
here instead of in ``preexec_fn`` keeps the parent safe with threads (and without the GIL).
"""

import json
import os
import resource
import signal
import sys
from typing import Any

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read().decode("ascii", "replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(name))
    found: list[int] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def kill_pids(pids: list[int]) -> None:
    """SIGKILL each pid; ones already gone are fine (shared with the cgroup sweep of
    sandbox_run.py)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def kill_descendants() -> None:
    me = os.getpid()
    for _ in range(100):
        pids = descendants(me)
        if not pids:
            return
        kill_pids(pids)
        while True:
            try:
                reaped, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if reaped == 0:
                break


SETUP_FAILED = 125
MARKER = "agentfix-sandbox-error:"


def apply_limits(limits: dict[str, int]) -> None:
    """Set each limit, never above the hard limit we inherited (raising it is not allowed)."""
    for name, value in limits.items():
        which = getattr(resource, name)
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY and (value == resource.RLIM_INFINITY or value > hard):
            value = hard
        resource.setrlimit(which, (value, value))


def setup(spec: dict[str, Any]) -> None:
    for cgroup in spec.get("cgroups", []):
        with open(os.path.join(cgroup, "cgroup.procs"), "w") as fh:
            fh.write(str(os.getpid()))
    apply_limits(spec.get("limits", {}))


def main() -> int:
    spec = json.loads(sys.argv[1])
    try:
        setup(spec)
    except (OSError, ValueError) as exc:
        os.write(2, f"{MARKER} {type(exc).__name__}: {exc}\n".encode())
        return SETUP_FAILED

    def on_term(signum: int, _frame: object) -> None:
        kill_descendants()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        # if agentfix dies (editor closed, server killed), clean up instead of lingering
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != spec.get("parent", os.getppid()):
        kill_descendants()  # the parent died before PDEATHSIG was armed
        return 128 + signal.SIGTERM
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(spec["argv"][0], spec["argv"])
        except OSError as exc:
            os.write(2, f"agentfix: cannot start {spec['argv'][0]}: {exc}\n".encode())
            os._exit(127)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    kill_descendants()
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    code = main()
    sys.exit(128 - code if code < 0 else code)
