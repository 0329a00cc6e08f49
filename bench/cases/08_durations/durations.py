"""Parse and format durations such as "1h30m"."""

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def unit_seconds(unit: str) -> int:
    """Seconds in one ``unit`` (d, h, m or s)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit: {unit!r}")
    UNITS[unit]


def parse_duration(text: str) -> int:
    """Total seconds in a duration like "1h30m" or "45s"."""
    total = 0
    number = ""
    for char in text.strip():
        if char.isdigit():
            number += char
        elif number:
            total += int(number) * unit_seconds(char)
            number = ""
        else:
            raise ValueError(f"bad duration: {text!r}")
    if number or not text.strip():
        raise ValueError(f"bad duration: {text!r}")
    return total


def format_duration(seconds: int) -> str:
    """Inverse of parse_duration, largest units first; "0s" for zero."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
