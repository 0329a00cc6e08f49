from palindromes import count_palindromes, is_palindrome, longest_palindrome


def test_phrases() -> None:
    assert is_palindrome("A man, a plan, a canal: Panama")
    assert not is_palindrome("palindrome")


def test_longest() -> None:
    assert longest_palindrome("babad") == "bab"
    assert longest_palindrome("cbbd") == "bb"
    assert longest_palindrome("forgeeksskeegfor") == "geeksskeeg"


def test_single_and_empty() -> None:
    assert longest_palindrome("x") == "x"
    assert longest_palindrome("") == ""


def test_count() -> None:
    assert count_palindromes("abc") == 3
    assert count_palindromes("aaa") == 6
