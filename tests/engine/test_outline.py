"""Narrowed views of the file: one suspect, its spec (no body), and the file's outline."""

from __future__ import annotations

from agentfix.engine.outline import (
    MAX_DEFINITION_LINES,
    MAX_OUTLINE_LINES,
    definition,
    only_definition,
    outline,
)


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


def test_only_the_asked_function_is_taken_from_an_answer_to_a_rewrite() -> None:
    base = (
        "def page_count(n):\n    if n < 0:\n        raise ValueError\n    return n\n\n\n"
        "def paginate(x):\n    return x\n\n\n"
        "class Account:\n    def transfer(self, t, c):\n        t.withdraw(c)\n"
    )
    filled_in = (
        "from math import ceil\n\n\ndef page_count(n):\n    return n\n\n\n"
        "def paginate(x):\n    return x[:ceil(1.5)]\n"
    )
    # the other bodies it filled in are dropped (page_count keeps its check); imports stay
    assert only_definition(filled_in, "paginate", base) == (
        "from math import ceil\n\ndef paginate(x):\n    return x[:ceil(1.5)]\n"
    )
    # a method answered bare, or inside a class with others, comes back under its class line
    method = "class Account:\n    def transfer(self, t, c):\n        self.withdraw(c)\n"
    assert (
        only_definition("def transfer(self, t, c):\n    self.withdraw(c)\n", "transfer", base)
        == method
    )
    whole_class = (
        "class Account:\n    def other(self):\n        pass\n\n" + method.split("\n", 1)[1]
    )
    assert only_definition(whole_class, "transfer", base) == method
    # no such function, or no code: the answer as it is
    assert only_definition("x = 1\n", "paginate", base) == "x = 1\n"
    assert only_definition("def broken(:\n", "paginate", base) == "def broken(:\n"


def test_page_breaks_and_line_separators_in_comments_do_not_shift_the_views() -> None:
    """Before: lines split with ``str.splitlines`` (a form feed or U+2028 ends a line there,
    not for ``ast``) showed the model a shifted excerpt: the constant's tail as a line of
    its own, a signature cut in two, a rewrite asked without its docstring's end."""
    source = (
        "LIMIT = 1  # page\x0cbreak\n\n\n"
        'def b(x):\n    """Doc\u2028more."""\n    return x + LIMIT\n'
    )
    assert definition(source, "b") == source.replace("\n\n\n", "\n\n").rstrip("\n")
    assert definition(source, "b", body=False) == (
        'LIMIT = 1  # page\x0cbreak\n\ndef b(x):\n    """Doc\u2028more."""\n    ...'
    )
    assert outline(source) == (
        'LIMIT = 1  # page\x0cbreak\ndef b(x):\n    """Doc\u2028more."""\n    ...'
    )
    answer = "import os  # \x1c\n\n\ndef b(x):\n    return x\n\n\ndef c():\n    pass\n"
    assert only_definition(answer, "b", source) == "import os  # \x1c\n\ndef b(x):\n    return x\n"
