"""Tag lists for notes."""


def add_tag(tag: str, tags: list[str] = []) -> list[str]:
    """``tags`` with ``tag`` appended once; a new list when no list is given."""

    if tag not in tags:
        tags.append(tag)
    return tags


def normalize_tags(raw: str) -> list[str]:
    """Comma-separated tags, stripped, lowercased, without duplicates."""
    result: list[str] = []
    for part in raw.split(","):
        if part.strip():
            add_tag(part.strip().lower(), result)
    return result
