from permissions import can, visible_actions


def test_editor() -> None:
    assert can("editor", "write")
    assert not can("editor", "delete")


def test_admin_from_runtime_string() -> None:
    role = "".join(["ad", "min"])
    assert can(role, "shutdown")


def test_visible() -> None:
    assert visible_actions("viewer") == ["read"]
