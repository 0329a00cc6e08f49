"""Tournament standings."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Player:
    name: str
    score: int


def standings(players: list[Player]) -> list[Player]:
    """Highest score first; players with equal scores in alphabetical order."""
    return sorted(players, key=lambda p: (p.score, p.name), reverse=True)


def podium(players: list[Player]) -> list[str]:
    """Names of the first three in the standings."""
    return [p.name for p in standings(players)[:3]]
