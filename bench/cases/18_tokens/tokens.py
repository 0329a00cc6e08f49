"""Signed, URL-safe tokens for password-reset links."""

import base64
import hashlib


def signature(user_id: int, secret: str) -> str:
    """Short URL-safe signature of ``user_id`` under ``secret``."""
    digest = hashlib.sha256(f"{user_id}:{secret}".encode()).digest()[:9]
    return base64.urlsafe_b64encode(digest)


def make_token(user_id: int, secret: str) -> str:
    """"<user_id>.<signature>"."""
    return f"{user_id}.{signature(user_id, secret)}"


def read_token(token: str, secret: str) -> int | None:
    """The user id of a valid token, else None."""
    user_part, _, sig = token.partition(".")
    if not user_part.isdigit():
        return None
    user_id = int(user_part)
    return user_id if sig == signature(user_id, secret) else None
