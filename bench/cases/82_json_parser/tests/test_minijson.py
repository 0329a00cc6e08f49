import json

import pytest

from minijson import JSONError, loads

DOCUMENT = """{
  "name": "ada",
  "tags": ["x", "y"],
  "age": 36,
  "ratio": -1.5e2,
  "nested": {"ok": true, "none": null, "empty": [], "obj": {}}
}"""


def test_document() -> None:
    assert loads(DOCUMENT) == json.loads(DOCUMENT)


def test_escapes() -> None:
    text = r'"tab\tquote\" slash\/ \u00e9 back\\"'
    assert loads(text) == json.loads(text)


def test_escape_then_text() -> None:
    assert loads(r'["a\nb", "c"]') == ["a\nb", "c"]


def test_error_position() -> None:
    with pytest.raises(JSONError) as caught:
        loads('{\n  "a": 1,\n  "b": tru\n}')
    assert (caught.value.line, caught.value.column) == (3, 8)


def test_extra_data() -> None:
    with pytest.raises(JSONError):
        loads("[1] 2")
