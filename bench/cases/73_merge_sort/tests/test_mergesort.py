from mergesort import merge, merge_many, merge_sort


def test_merge() -> None:
    assert merge([1, 4, 9], [2, 3, 10]) == [1, 2, 3, 4, 9, 10]
    assert merge([5, 6], [1, 2, 3]) == [1, 2, 3, 5, 6]
    assert merge([], [1]) == [1]


def test_sort() -> None:
    data = [5, 2, 4, 2, 1, 9, 0, 7]
    assert merge_sort(data) == sorted(data)
    assert data == [5, 2, 4, 2, 1, 9, 0, 7]


def test_stable() -> None:
    people = [("bo", 30), ("al", 25), ("cy", 30), ("di", 25)]
    assert merge_sort(people, key=lambda p: p[1]) == [
        ("al", 25), ("di", 25), ("bo", 30), ("cy", 30)
    ]


def test_merge_many() -> None:
    assert merge_many([[1, 5], [2, 6], [0, 3, 4]]) == [0, 1, 2, 3, 4, 5, 6]
