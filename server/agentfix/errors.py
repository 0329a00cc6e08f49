"""Errors that reach the user: each names its cause and how to fix it."""


class AgentfixError(Exception):
    """Base class for errors shown to the user as-is (no traceback)."""


class ConfigError(AgentfixError):
    """A setting is unknown or has a bad value."""


class ProviderError(AgentfixError):
    """The LLM provider cannot be used (unreachable, model missing, HTTP error, time-out)."""


class Cancelled(AgentfixError):
    """The fix was cancelled by the user or ran out of its wall-clock budget."""
