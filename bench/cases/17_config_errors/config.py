"""A tiny "key = value" configuration format."""


class ConfigError(Exception):
    """A malformed configuration line."""


def parse_config(text: str) -> dict[str, str]:
    """Parse ``key = value`` lines; blank lines and # comments are skipped.

    A line without "=" raises ConfigError naming its 1-based line number.
    """
    result = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            key, value = line.split("=", 1)
        except ValueError:
            continue
        result[key.strip()] = value.strip()
    return result


def get_bool(config: dict[str, str], key: str, default: bool = False) -> bool:
    """Interpret yes/no, true/false, on/off and 1/0."""
    value = config.get(key)
    if value is None:
        return default
    return value.lower() in ("yes", "true", "on", "1")
