"""Split and join single CSV lines (RFC 4180 quoting, no embedded newlines).

A field may be wrapped in double quotes; inside quotes the separator is plain
text and a doubled quote ("") stands for one quote character.

    >>> split_line('a,"b,c","5"" disk"')
    ['a', 'b,c', '5" disk']
"""

from __future__ import annotations


def split_line(line: str, sep: str = ",") -> list[str]:
    """The fields of one CSV line."""
    fields: list[str] = []
    field: list[str] = []
    in_quotes = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == '"':
            if in_quotes and line[i + 1 : i + 2] == '"':
                field.append('"')  # an escaped quote
                i += 1
            else:
                in_quotes = not in_quotes
        elif char == sep and in_quotes:
            fields.append("".join(field))
            field = []
        else:
            field.append(char)
        i += 1
    if in_quotes:
        raise ValueError(f"unterminated quote in {line!r}")
    fields.append("".join(field))
    return fields


def quote_field(value: str, sep: str = ",") -> str:
    """``value`` quoted if it needs to be (separator, quote or edge spaces)."""
    if sep in value or '"' in value or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def join_line(values: list[str], sep: str = ",") -> str:
    return sep.join(quote_field(value, sep) for value in values)


def parse_rows(text: str, sep: str = ",") -> list[dict[str, str]]:
    """Rows of a CSV text whose first line is the header."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    header = split_line(lines[0], sep)
    return [dict(zip(header, split_line(line, sep))) for line in lines[1:]]


# Round trip: split_line(join_line(values)) == values for any list of strings
# without newlines.
