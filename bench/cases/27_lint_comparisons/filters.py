"""Filters for optional query parameters."""


def apply_limit(items: list, limit: int | None) -> list:
    """The first ``limit`` items, or all of them when ``limit`` is None."""
    if limit == None:
        return items
    return items[:limit]


def only_active(users: list[dict], active: bool | None) -> list[dict]:
    """Users whose "active" flag equals ``active``; all users when it is None."""
    if active is None:
        return users
    return [user for user in users if user["active"] == True and active
            or user["active"] == False and not active]


def name_matches(user: dict, query: str) -> bool:
    """Exact match on the name."""
    return user["name"] == query


def name_matches(user: dict, query: str) -> bool:
    """Case-insensitive substring match on the user's name."""
    return query.lower() in user["name"].lower()
