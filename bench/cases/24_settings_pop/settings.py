"""Merge user options over defaults for an HTTP client."""

DEFAULTS = {"timeout": 30, "retries": 3, "verbose": False}


def build_settings(options: dict) -> dict:
    """Defaults overridden by ``options``; unknown keys are an error.

    ``options`` is not modified, so callers can reuse it.
    """
    unknown = set(options) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown options: {sorted(unknown)}")
    settings = {}
    for name, default in DEFAULTS.items():
        settings[name] = options.pop(name, default)
    return settings


def describe(settings: dict) -> str:
    """One line such as "timeout=30 retries=3 verbose=False"."""
    return " ".join(f"{name}={value}" for name, value in settings.items())
