from textstats import average_word_length, most_common_word, sentence_count, word_count

TEXT = "The cat sat. The dog ran! Did the cat see it?"


def test_words() -> None:
    assert word_count(TEXT) == 11
    assert most_common_word(TEXT) == "the"


def test_sentences() -> None:
    assert sentence_count(TEXT) == 3
    assert sentence_count("No final stop") == 1
    assert sentence_count("") == 0


def test_average_length() -> None:
    assert average_word_length("ab abcd") == 3.0
