from grouping import count_by, group_by


def test_group_by_length() -> None:
    words = ["a", "bb", "c", "dd", "eee"]
    assert group_by(words, len) == {1: ["a", "c"], 2: ["bb", "dd"], 3: ["eee"]}


def test_count_by_parity() -> None:
    assert count_by(range(5), lambda n: n % 2) == {0: 3, 1: 2}


def test_empty() -> None:
    assert group_by([], len) == {}
