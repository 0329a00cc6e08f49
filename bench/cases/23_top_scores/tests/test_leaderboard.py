from leaderboard import rank_of, top_scores


def test_top_three() -> None:
    assert top_scores([10, 50, 20, 40]) == [50, 40, 20]


def test_input_left_alone() -> None:
    scores = [3, 9, 1]
    top_scores(scores, 2)
    assert scores == [3, 9, 1]


def test_rank() -> None:
    assert rank_of([10, 50, 20], 20) == 2
