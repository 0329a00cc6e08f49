import pytest

from cipher import caesar, vigenere_decrypt, vigenere_encrypt


def test_caesar() -> None:
    assert caesar("Hello, World", 3) == "Khoor, Zruog"
    assert caesar(caesar("xyz", 5), -5) == "xyz"


def test_vigenere_encrypt() -> None:
    assert vigenere_encrypt("Attack at dawn!", "lemon") == "Lxfopv ef rnhr!"


def test_vigenere_decrypt() -> None:
    assert vigenere_decrypt("Lxfopv ef rnhr!", "LEMON") == "Attack at dawn!"


def test_round_trip() -> None:
    text = "The quick brown fox, 2 times."
    assert vigenere_decrypt(vigenere_encrypt(text, "key"), "key") == text


def test_bad_key() -> None:
    with pytest.raises(ValueError):
        vigenere_encrypt("abc", "k3y")
