from lcs import lcs, lcs_length, similarity


def test_length() -> None:
    assert lcs_length("ABCBDAB", "BDCABA") == 4
    assert lcs_length("abc", "abc") == 3
    assert lcs_length("", "abc") == 0


def test_last_character_counts() -> None:
    assert lcs_length("xyz", "z") == 1
    assert lcs("hello", "yellow") == "ello"


def test_sequence() -> None:
    assert lcs("ABCBDAB", "BDCABA") == "BCBA"


def test_similarity() -> None:
    assert similarity("abcd", "abcd") == 1.0
    assert similarity("ab", "cd") == 0.0
    assert similarity("", "") == 1.0
