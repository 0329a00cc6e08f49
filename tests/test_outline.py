"""Narrowed views of the file: one suspect, its spec (no body), and the file's outline."""

from __future__ import annotations

from agentfix.engine.outline import MAX_DEFINITION_LINES, MAX_OUTLINE_LINES, definition, outline


def test_a_suspect_is_shown_with_its_class_line_and_the_constants_it_reads() -> None:
    source = (
        "LIMIT = 10\nOTHER = 3\nTABLE = {\n    'a': 1,\n}\n\n\n"
        'class Cart:\n    """A cart."""\n\n    def add(self, item):\n'
        "        if len(self.items) < LIMIT:\n            self.items.append(TABLE)\n\n"
        "    def clear(self):\n        self.items = []\n"
    )
    shown = definition(source, "add")
    assert shown == (
        "LIMIT = 10\n\nclass Cart:\n    def add(self, item):\n"
        "        if len(self.items) < LIMIT:\n            self.items.append(TABLE)"
    )  # the multi-line TABLE is left out, the docstring and `clear` too
    assert (
        definition(source, "clear") == "class Cart:\n    def clear(self):\n        self.items = []"
    )
    # the spec to write it anew from: signature (decorators too) and docstring, no body
    assert (
        definition(source, "clear", body=False) == "class Cart:\n    def clear(self):\n        ..."
    )
    assert definition(source, "Cart", body=False) is None  # a class is shown, not rewritten
    spec = (
        '@cache\ndef area(\n    r: float,\n) -> float:\n    """Of a circle."""\n    return r * r\n'
    )
    assert definition(spec, "area", body=False) == spec.replace("return r * r", "...").rstrip()
    assert definition("def one(): return 1\n", "one", body=False) is None
    assert definition(source, "missing") is None
    assert definition("def broken(:\n", "broken") is None
    long = "def big():\n" + "    x = 1\n" * MAX_DEFINITION_LINES
    assert definition(long, "big") is None


def test_outline_keeps_what_a_rewrite_may_use_and_drops_every_body() -> None:
    source = (
        '"""Module."""\nimport os\nfrom math import ceil\n\n'
        "LIMIT = 10\nTABLE = {\n    1: 2,\n}\n\n\n"
        '@cache\ndef area(r: float) -> float:\n    """Of a circle."""\n    return r * r\n\n\n'
        "def one(): return 1\n\n\n"
        'class Box(Base):\n    """A box."""\n\n    size: int = 3\n\n'
        "    def get(self):\n        return os.sep\n\n\n"
        "class Empty:\n    pass\n\n\n"
        "if __name__ == '__main__':\n    print(area(2))\n"
    )
    assert outline(source) == (
        "import os\nfrom math import ceil\nLIMIT = 10\n"
        '@cache\ndef area(r: float) -> float:\n    """Of a circle."""\n    ...\n'
        "def one(): return 1\n"
        "class Box(Base):\n    size: int = 3\n    def get(self):\n        ...\n"
        "class Empty:\n    ..."
    )
    assert outline("def broken(:\n") == ""
    many = "".join(f"def f{i}():\n    return {i}\n" for i in range(100))
    assert len(outline(many).splitlines()) == MAX_OUTLINE_LINES + 1
