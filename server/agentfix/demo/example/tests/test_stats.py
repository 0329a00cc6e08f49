from stats import clamp, mean


def test_mean():
    assert mean([1.0, 2.0, 3.0]) == 2.0


def test_mean_single():
    assert mean([5.0]) == 5.0


def test_clamp():
    assert clamp(5, 0, 3) == 3
    assert clamp(-1, 0, 3) == 0
