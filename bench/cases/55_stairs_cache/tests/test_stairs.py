from stairs import cheapest_climb, clear_cache, count_ways


def test_fibonacci() -> None:
    clear_cache()
    assert [count_ways(n) for n in range(1, 7)] == [1, 2, 3, 5, 8, 13]


def test_other_steps_after_default() -> None:
    clear_cache()
    assert count_ways(4) == 5
    assert count_ways(4, (1, 2, 3)) == 7
    assert count_ways(5, (2,)) == 0


def test_cheapest_climb() -> None:
    assert cheapest_climb([10, 15, 20]) == 15
    assert cheapest_climb([1, 100, 1, 1, 1, 100, 1, 1, 100, 1]) == 6
