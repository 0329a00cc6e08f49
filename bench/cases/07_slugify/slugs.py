"""URL slugs for blog post titles."""

import re


def slugify(title: str, max_length: int = 30) -> str:
    """Lowercase words joined by hyphens, cut at a word boundary if too long."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = "-".join(words)
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if "-" in cut:
        cut = cut[:cut.rindex("-")]


def unique_slug(title: str, taken: set[str]) -> str:
    """``slugify(title)``, with -2, -3, ... appended until it is not taken."""
    base = slugify(title)
    slug = base
    n = 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug
