"""A tiny INI reader: sections, ``key = value`` pairs and comments.

    [server]
    host = example.org
    ; comments start with ; or #
    url = https://example.org/?a=1

Keys are case-insensitive (stored lowercased); values are kept as written,
minus surrounding spaces. Pairs before the first section go to "DEFAULT".
"""

from __future__ import annotations

import re

SECTION = re.compile(r"^\[([^\]]+)\]$")


class ParseError(ValueError):
    def __init__(self, number: int, line: str) -> None:
        super().__init__(f"line {number}: cannot parse {line!r}")
        self.number = number


def parse_ini(text: str) -> dict[str, dict[str, str]]:
    """{section: {key: value}} of an INI text."""
    result: dict[str, dict[str, str]] = {}
    section = "DEFAULT"
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        header = SECTION.match(line)
        if header:
            section = header.group(1).strip()
            result.setdefault(section, {})
            continue
        if "=" not in line:
            raise ParseError(number, raw)
        key, value = line.split("=")
        result.setdefault(section, {})[key.strip().lower()] = value.strip()
    return result


def get_bool(config: dict[str, dict[str, str]], section: str, key: str) -> bool:
    """yes/no, true/false, on/off or 1/0, in any case."""
    value = config[section][key].lower()
    if value in ("1", "yes", "true", "on"):
        return True
    if value in ("0", "no", "false", "off"):
        return False
    raise ValueError(f"{section}.{key}: not a boolean: {value!r}")


def get_int(config: dict[str, dict[str, str]], section: str, key: str) -> int:
    return int(config[section][key])


# Not supported, on purpose: multi-line values, interpolation (%(name)s) and
# inline comments after a value. Use configparser for those.
