"""The model is shown the failing tests' bodies and the functions they exercise."""

from __future__ import annotations

from pathlib import Path

from agentfix.engine.test_focus import MAX_LINES, focus

SOURCE = '''"""Shop."""


def price(item):
    return item["price"]


def total(items):
    return sum(price(i) for i in items) + 1


class Cart:
    def add(self, item):
        self.items.append(item)
'''

TESTS = """from shop import Cart, total


def helper():
    return 1


def test_total():
    items = [{"price": 2}]
    assert total(items) == 2


class TestCart:
    def test_add(self):
        cart = Cart()
        cart.add({"price": 1})
"""

OUTPUT = """___ test_total ___
tests/test_shop.py:10: in test_total
    assert total(items) == 2
shop.py:9: in total
    return sum(price(i) for i in items) + 1
shop.py:5: in price
    return item["price"]
E   assert 3 == 2
___ TestCart.test_add ___
tests/test_shop.py:16: in test_add
    cart.add({"price": 1})
shop.py:14: in add
    self.items.append(item)
E   AttributeError: 'Cart' object has no attribute 'items'
/usr/lib/python3/site-packages/_pytest/runner.py:1: in call
    pass
"""


def _project(tmp_path: Path, tests: str = TESTS) -> Path:
    (tmp_path / "tests").mkdir(parents=True)
    (tmp_path / "tests" / "test_shop.py").write_text(tests)
    (tmp_path / "shop.py").write_text(SOURCE)
    return tmp_path


def test_failing_test_bodies_and_exercised_names(tmp_path: Path) -> None:
    found = focus(OUTPUT, _project(tmp_path), "shop.py", SOURCE)
    assert found.sources[0].startswith("def test_total():")
    assert "assert total(items) == 2" in found.sources[0]
    assert found.sources[1].startswith("def test_add(self):")  # method, dedented
    assert "def helper" not in "\n".join(found.sources)
    # names of the fixed file only (not `items` or `cart`), in order of appearance; frames
    # inside shop.py count too (`price` is never named by a test)
    assert found.names == ("total", "price", "Cart", "add")
    text = found.describe("shop.py")
    assert "change the code, never the tests" in text
    assert "`total`, `price`, `Cart`, `add` of `shop.py`" in text
    # suspects: most used first (`add`: its frame and `cart.add(...)`), functions before
    # classes, and `Cart` dropped because its method `add` is a suspect itself
    assert found.suspects == ("total", "add", "price")


def test_long_tests_are_capped_and_unknown_files_ignored(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(100))
    root = _project(tmp_path, f"def test_long():\n{body}\n")
    output = "tests/test_shop.py:50: in test_long\nmissing/test_x.py:3: in test_gone\n"
    found = focus(output, root, "shop.py", SOURCE)
    assert len(found.sources) == 1
    assert len(found.sources[0].splitlines()) == MAX_LINES + 1


def test_paths_outside_the_project_are_not_read(tmp_path: Path) -> None:
    root = _project(tmp_path / "proj")
    (tmp_path / "secret_test.py").write_text("def test_secret():\n    token = 'abc'\n")
    found = focus("../secret_test.py:2: in test_secret\n", root, "shop.py", SOURCE)
    assert found.sources == () and found.describe("shop.py") == ""


def test_decorators_are_part_of_the_spec_and_huge_lines_are_cut(tmp_path: Path) -> None:
    tests = (
        "import pytest\n\n\n@pytest.mark.parametrize('n, want', [(1, 2), (2, 3)])\n"
        "def test_inc(n, want):\n    assert n + 1 == want, 'x' * 5000\n"
    )
    root = _project(tmp_path, tests)
    found = focus("tests/test_shop.py:6: in test_inc\n", root, "shop.py", SOURCE)
    assert found.sources[0].startswith("@pytest.mark.parametrize('n, want', [(1, 2), (2, 3)])")
    assert len(found.sources[0]) < 600


def test_unreadable_paths_never_fail_a_fix(tmp_path: Path) -> None:
    root = _project(tmp_path)
    output = f"{'x' * 5000}.py:1: in test_long\nbad\0name.py:1: in test_nul\n"
    assert focus(output, root, "shop.py", SOURCE).sources == ()


def test_unparsable_file_still_shows_tests(tmp_path: Path) -> None:
    root = _project(tmp_path)
    found = focus(OUTPUT, root, "shop.py", "def broken(:\n")
    assert len(found.sources) == 2 and found.names == ()


def test_a_page_break_above_a_test_does_not_shift_its_source(tmp_path: Path) -> None:
    """Before: the test file was split with ``str.splitlines``, so a form feed in a comment
    above the failing test shifted the lines shown as its specification."""
    tests = (
        "from shop import total\n\n# section\x0cbreak\n\n"
        "def test_total():\n    assert total([1]) == 1\n\n\ndef test_other():\n    pass\n"
    )
    root = _project(tmp_path, tests)
    found = focus("tests/test_shop.py:6: in test_total\n", root, "shop.py", SOURCE)
    assert found.sources == ("def test_total():\n    assert total([1]) == 1",)
