from scheduling import free_slots, max_meetings, rooms_needed

MEETINGS = [(1, 4), (3, 5), (0, 6), (5, 7), (3, 9), (5, 9), (6, 10), (8, 11)]


def test_max_meetings() -> None:
    assert max_meetings(MEETINGS) == [(1, 4), (5, 7), (8, 11)]


def test_long_meeting_first() -> None:
    assert max_meetings([(0, 10), (1, 2), (3, 4), (5, 6)]) == [(1, 2), (3, 4), (5, 6)]


def test_rooms() -> None:
    assert rooms_needed([(9, 10), (10, 11), (9, 11)]) == 2
    assert rooms_needed([]) == 0


def test_free_slots() -> None:
    assert free_slots([(9, 10), (12, 13)], (8, 17)) == [(8, 9), (10, 12), (13, 17)]
