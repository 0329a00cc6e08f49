import math

from temperature import (
    celsius_to_fahrenheit,
    celsius_to_kelvin,
    convert,
    kelvin_to_celsius,
)


def test_fahrenheit() -> None:
    assert celsius_to_fahrenheit(100) == 212


def test_kelvin_round_trip() -> None:
    assert math.isclose(kelvin_to_celsius(celsius_to_kelvin(21.5)), 21.5)


def test_kelvin_to_celsius() -> None:
    assert math.isclose(kelvin_to_celsius(273.15), 0.0, abs_tol=1e-9)


def test_convert() -> None:
    assert math.isclose(convert(300.0, "K", "F"), 80.33, abs_tol=0.01)
