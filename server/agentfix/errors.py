"""Errors that reach the user: each names its cause and how to fix it."""

import errno


class AgentfixError(Exception):
    """Base class for errors shown to the user as-is (no traceback)."""


class ConfigError(AgentfixError):
    """A setting is unknown or has a bad value."""


class ProviderError(AgentfixError):
    """The LLM provider cannot be used (unreachable, model missing, HTTP error, time-out)."""


class NoSpace(AgentfixError):
    """The disk holding the throwaway copies is full (or over quota)."""


class Cancelled(AgentfixError):
    """The fix was cancelled by the user or ran out of its wall-clock budget."""


def disk_full(exc: OSError) -> bool:
    """Whether the error is a full disk (or a spent quota)."""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def describe_os_error(exc: OSError) -> str:
    """An operating-system error as a sentence with its cause and what to do."""
    where = f" {exc.filename}" if exc.filename else ""
    if isinstance(exc, PermissionError):
        return (f"permission denied:{where} — agentfix must read the file and its project "
                "and write the fix; check their owner and permissions")  # fmt: skip
    if disk_full(exc):
        return f"no space left on the device of{where or ' a file it writes'} — free some space"
    return f"{exc.strerror or exc}:{where}".rstrip(":")
