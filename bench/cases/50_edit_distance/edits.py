"""Edit (Levenshtein) distance, and spelling suggestions built on it."""

from __future__ import annotations


def edit_distance(a: str, b: str) -> int:
    """Fewest single-character insertions, deletions and substitutions
    that turn ``a`` into ``b``.

    Keeps only the previous row of the classic table: ``previous[j]`` is the
    distance between the prefix of ``a`` seen so far and ``b[:j]``.
    """
    previous = [0] * (len(b) + 1)
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,  # delete char_a
                    current[j - 1] + 1,  # insert char_b
                    previous[j - 1] + (char_a != char_b),  # substitute
                )
            )
        previous = current
    return previous[-1]


def suggestions(word: str, vocabulary: list[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` vocabulary words closest to ``word``.

    Sorted by distance, then alphabetically; words more than half the length
    of ``word`` away are not suggested.
    """
    cutoff = max(1, len(word) // 2)
    scored = [(edit_distance(word, known), known) for known in vocabulary]
    return [known for dist, known in sorted(scored) if dist <= cutoff][:limit]


def is_one_edit_away(a: str, b: str) -> bool:
    return edit_distance(a, b) <= 1


# Example
# -------
# edit_distance("kitten", "sitting") == 3:
#   kitten -> sitten (substitute k/s) -> sittin (substitute e/i) -> sitting
#   (insert g).
