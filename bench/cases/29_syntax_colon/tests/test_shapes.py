import math

from shapes import Circle, Rectangle


def test_circle() -> None:
    assert math.isclose(Circle(2).area(), 4 * math.pi)
    assert math.isclose(Circle(1).perimeter(), 2 * math.pi)


def test_rectangle() -> None:
    assert Rectangle(3, 4).area() == 12
    assert Rectangle(3, 4).perimeter() == 14
