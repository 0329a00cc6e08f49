from query import select, where_clause


def test_where() -> None:
    assert where_clause({"b": 2, "a": 1}) == ("WHERE a = ? AND b = ?", [1, 2])


def test_null() -> None:
    assert where_clause({"x": None}) == ("WHERE x IS NULL", [])


def test_select() -> None:
    assert select("users", {}) == ("SELECT * FROM users", [])
