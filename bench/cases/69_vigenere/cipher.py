"""Caesar and Vigenere ciphers over the Latin alphabet.

Letters are shifted within their own case; everything else (digits, spaces,
punctuation) passes through unchanged and does not use up a key letter.

    >>> vigenere_encrypt("Attack at dawn!", "lemon")
    'Lxfopv ef rnhr!'
"""

from __future__ import annotations

from itertools import cycle


def shift_letter(char: str, shift: int) -> str:
    """``char`` moved ``shift`` places along the alphabet (wrapping around)."""
    if not char.isascii() or not char.isalpha():
        return char
    base = ord("a") if char.islower() else ord("A")
    return chr(base + (ord(char) - base + shift) % 26)


def caesar(text: str, shift: int) -> str:
    return "".join(shift_letter(char, shift) for char in text)


def _key_shifts(key: str) -> list[int]:
    if not key or not key.isalpha():
        raise ValueError("the key must be a non-empty word of letters")
    return [ord(char) - ord("a") for char in key.lower()]


def vigenere_encrypt(text: str, key: str) -> str:
    shifts = cycle(_key_shifts(key))
    return "".join(
        shift_letter(char, next(shifts)) if char.isalpha() else char for char in text
    )


def vigenere_decrypt(text: str, key: str) -> str:
    shifts = cycle(_key_shifts(key))
    return "".join(
        shift_letter(char, +next(shifts)) if char.isalpha() else char for char in text
    )


# Vigenere with a one-letter key is a Caesar cipher; "a" is the identity key.
# Neither cipher is secure: they are here for puzzles and teaching.
