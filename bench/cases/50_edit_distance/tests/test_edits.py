from edits import edit_distance, is_one_edit_away, suggestions


def test_classic() -> None:
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("flaw", "lawn") == 2


def test_empty_strings() -> None:
    assert edit_distance("", "abc") == 3
    assert edit_distance("abc", "") == 3
    assert edit_distance("", "") == 0


def test_one_edit() -> None:
    assert is_one_edit_away("cart", "card")
    assert not is_one_edit_away("cart", "dark")


def test_suggestions() -> None:
    vocabulary = ["apple", "apply", "ample", "maple", "angle"]
    assert suggestions("appel", vocabulary) == ["apple", "apply"]
    assert suggestions("aple", vocabulary, limit=2) == ["ample", "apple"]
