from filters import apply_limit, name_matches, only_active

USERS = [{"name": "Ada", "active": True}, {"name": "Bob", "active": False}]


def test_limit() -> None:
    assert apply_limit([1, 2, 3], 2) == [1, 2]
    assert apply_limit([1, 2, 3], None) == [1, 2, 3]


def test_active() -> None:
    assert only_active(USERS, True) == USERS[:1]
    assert only_active(USERS, False) == USERS[1:]
    assert only_active(USERS, None) == USERS


def test_name() -> None:
    assert name_matches(USERS[0], "ad")
