from partitions import count_partitions, distinct_part_count, partitions


def test_first_values() -> None:
    assert [count_partitions(n) for n in range(11)] == [
        1, 1, 2, 3, 5, 7, 11, 15, 22, 30, 42
    ]


def test_limited_parts() -> None:
    assert count_partitions(5, 2) == 3


def test_listing() -> None:
    assert list(partitions(4)) == [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]


def test_distinct_parts() -> None:
    assert distinct_part_count(6) == 4
