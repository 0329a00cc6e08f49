"""A small JSON reader, written by hand for teaching and for error messages.

Supports the full JSON value grammar: objects, arrays, strings (with the
escapes \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX), numbers, true, false and null.
Errors raise ``JSONError`` with the 1-based line and column of the problem.

    >>> loads('{"name": "ada", "tags": ["x", "y"], "age": 36}')
    {'name': 'ada', 'tags': ['x', 'y'], 'age': 36}
"""

from __future__ import annotations

import re
from typing import Any

NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
LITERALS = {"true": True, "false": False, "null": None}


class JSONError(ValueError):
    def __init__(self, message: str, text: str, pos: int) -> None:
        self.line = text.count("\n", 0, pos) + 1
        self.column = pos - (text.rfind("\n", 0, pos) + 1) + 1
        super().__init__(f"{message} at line {self.line}, column {self.column}")


class Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str) -> JSONError:
        return JSONError(message, self.text, self.pos)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.object()
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        for word, result in LITERALS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return result
        match = NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            number = match.group()
            return float(number) if any(c in number for c in ".eE") else int(number)
        raise self.error("expected a value")

    def object(self) -> dict[str, Any]:
        self.expect("{")
        result: dict[str, Any] = {}
        if self.peek() == "}":
            self.pos += 1
            return result
        while True:
            if self.peek() != '"':
                raise self.error("expected a string key")
            key = self.string()
            self.expect(":")
            result[key] = self.value()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return result

    def array(self) -> list[Any]:
        self.expect("[")
        items: list[Any] = []
        if self.peek() == "]":
            self.pos += 1
            return items
        while True:
            items.append(self.value())
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return items

    def string(self) -> str:
        self.expect('"')
        parts: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.error("unterminated string")
            char = self.text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\\":
                code = self.text[self.pos + 1 : self.pos + 2]
                if code == "u":
                    digits = self.text[self.pos + 2 : self.pos + 6]
                    if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                        raise self.error("bad \\u escape")
                    parts.append(chr(int(digits, 16)))
                    self.pos += 6
                    continue
                if code not in ESCAPES:
                    raise self.error(f"bad escape \\{code}")
                parts.append(ESCAPES[code])
                self.pos += 1
                continue
            if char < " ":
                raise self.error("control character in string")
            parts.append(char)
            self.pos += 1


def loads(text: str) -> Any:
    """The Python value of a JSON document."""
    reader = Reader(text)
    result = reader.value()
    if reader.peek():
        raise reader.error("extra data after the value")
    return result


# Differences from json.loads, on purpose: no NaN/Infinity literals, no
# surrogate-pair joining for \uXXXX escapes outside the basic plane, and
# duplicate keys keep the last value (as json.loads does).
