"""Leaderboard queries over raw score lists."""


def top_scores(scores: list[int], n: int = 3) -> list[int]:
    """The ``n`` highest scores, highest first; ``scores`` itself is not modified."""
    scores.sort(reverse=True)
    return scores[:n]


def rank_of(scores: list[int], score: int) -> int:
    """1-based rank ``score`` would have (ties share the better rank)."""
    return 1 + sum(1 for other in scores if other > score)
