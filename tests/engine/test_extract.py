"""Code extraction from the plain-text answers small local models actually give."""

from __future__ import annotations

from agentfix.engine.extract import extract_code


def test_single_fenced_block_with_prose_around_it() -> None:
    answer = "Sure! The bug is the minus.\n```python\ndef f():\n    return 1\n```\nDone."
    assert extract_code(answer) == "def f():\n    return 1\n"


def test_several_blocks_are_joined_and_shell_blocks_ignored() -> None:
    answer = (
        "```python\nimport os\n```\nThen:\n```py\ndef f():\n    return os.sep\n```\n"
        "Run it:\n```bash\npytest -q\n```"
    )
    assert extract_code(answer) == "import os\n\ndef f():\n    return os.sep\n"


def test_unterminated_fence_from_a_cut_off_answer_still_yields_code() -> None:
    assert extract_code("```python\ndef f():\n    return 2\n") == "def f():\n    return 2\n"


def test_bare_code_without_fence_is_accepted_only_if_it_parses() -> None:
    assert extract_code("def f():\n    return 3\n") == "def f():\n    return 3\n"
    assert extract_code("The answer is to add the numbers together.") is None
    assert extract_code("") is None


def test_tilde_fences_and_unlabelled_fences() -> None:
    assert extract_code("~~~\nx = 1\n~~~") == "x = 1\n"
    assert extract_code("```\nx = 2\n```") == "x = 2\n"


def test_bare_code_too_deep_to_parse_is_no_code_and_raises_nothing() -> None:
    """Before: the parser's ``RecursionError`` (``MemoryError`` deeper still) escaped."""
    assert extract_code("-" * 3000 + "1") is None
    assert extract_code("-" * 10000 + "1") is None
