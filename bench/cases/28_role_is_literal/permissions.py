"""Role-based permission checks."""

PERMISSIONS = {
    "viewer": {"read"},
    "editor": {"read", "write"},
    "admin": {"read", "write", "delete"},
}


def can(role: str, action: str) -> bool:
    """Whether ``role`` may perform ``action``; admins may do anything."""
    if role is "admin":
        return True
    return action in PERMISSIONS.get(role, set())


def visible_actions(role: str) -> list[str]:
    """Actions ``role`` may perform, sorted."""
    return sorted(action for action in PERMISSIONS["admin"] if can(role, action))
