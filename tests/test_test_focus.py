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
    # names of the fixed file only: not `items` or `cart`; traceback frames count too
    assert found.names == ("total", "Cart", "add")
    text = found.describe("shop.py")
    assert "change the code, never the tests" in text
    assert "`total`, `Cart`, `add` of `shop.py`" in text


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


def test_unparsable_file_still_shows_tests(tmp_path: Path) -> None:
    root = _project(tmp_path)
    found = focus(OUTPUT, root, "shop.py", "def broken(:\n")
    assert len(found.sources) == 2 and found.names == ()
