"""Geometric shapes with area and perimeter."""

import math


class Circle:
    """A circle given by its radius."""

    def __init__(self, radius: float) -> None:
        if radius < 0:
            raise ValueError("radius must be non-negative")
        self.radius = radius

    def area(self) -> float:
        return math.pi * self.radius ** 2

    def perimeter(self) -> float
        return 2 * math.pi * self.radius


class Rectangle:
    """An axis-aligned rectangle."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height

    def area(self) -> float:
        return self.width * self.height

    def perimeter(self) -> float:
        return 2 * (self.width + self.height)
