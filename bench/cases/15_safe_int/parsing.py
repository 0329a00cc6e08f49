"""Lenient parsing of user-supplied numbers."""


def safe_int(text: object, default: int = 0) -> int:
    """``int(text)``, or ``default`` when it is not a valid integer."""
    try:
        return int(text)
    except TypeError:
        return default


def parse_pairs(text: str) -> dict[str, int]:
    """"a=1, b=2" -> {"a": 1, "b": 2}; unparsable values become 0."""
    result = {}
    for item in text.split(","):
        if "=" not in item:
            continue
        key, value = item.split("=", 1)
        result[key.strip()] = safe_int(value.strip())
    return result
