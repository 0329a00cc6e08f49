from kmp import count, find_all, find_first, prefix_function


def test_prefix_function() -> None:
    assert prefix_function("abacab") == [0, 0, 1, 0, 1, 2]
    assert prefix_function("aaaa") == [0, 1, 2, 3]


def test_find_all() -> None:
    assert find_all("abababa", "aba") == [0, 2, 4]
    assert find_all("hello world", "o") == [4, 7]


def test_like_str_find() -> None:
    text = "the cat sat on the mat"
    for word in ("the", "mat", "at", "dog"):
        assert find_first(text, word) == text.find(word)


def test_count() -> None:
    assert count("aaaa", "aa") == 3
