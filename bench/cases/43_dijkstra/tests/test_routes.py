import pytest

from routes import cheapest_route, dijkstra, load_roads

ROADS = """
# town roads, all one-way
A B 4
A C 1
C B 2
B D 1
C D 5
"""


def test_costs() -> None:
    costs, _ = dijkstra(load_roads(ROADS), "A")
    assert costs == {"A": 0.0, "B": 3.0, "C": 1.0, "D": 4.0}


def test_route() -> None:
    assert cheapest_route(load_roads(ROADS), "A", "D") == (4.0, ["A", "C", "B", "D"])


def test_one_way() -> None:
    assert cheapest_route(load_roads(ROADS), "D", "A") is None


def test_bad_line() -> None:
    with pytest.raises(ValueError):
        load_roads("A B")
