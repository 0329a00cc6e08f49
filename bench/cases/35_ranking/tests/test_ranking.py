from ranking import Player, podium, standings


def test_by_score() -> None:
    players = [Player("a", 1), Player("b", 3), Player("c", 2)]
    assert [p.name for p in standings(players)] == ["b", "c", "a"]


def test_ties_alphabetical() -> None:
    players = [Player("zoe", 5), Player("amy", 5), Player("max", 7), Player("bo", 5)]
    assert podium(players) == ["max", "amy", "bo"]
