"""Temperature unit conversions."""

ABSOLUTE_ZERO_C = -273.15


def celsius_to_fahrenheit(celsius: float) -> float:
    return celsius * 9 / 5 + 32


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    return (fahrenheit - 32) * 5 / 9


def celsius_to_kelvin(celsius: float) -> float:
    if celsius < ABSOLUTE_ZERO_C:
        raise ValueError("below absolute zero")
    return celsius - ABSOLUTE_ZERO_C


def kelvin_to_celsius(kelvin: float) -> float:
    if kelvin < 0:
        raise ValueError("below absolute zero")
    return kelvin - ABSOLUTE_ZERO_C


def fahrenheit_to_kelvin(fahrenheit: float) -> float:
    return celsius_to_kelvin(fahrenheit_to_celsius(fahrenheit))


def convert(value: float, source: str, target: str) -> float:
    """Convert between "C", "F" and "K", going through Celsius."""
    to_c = {"C": lambda v: v, "F": fahrenheit_to_celsius, "K": kelvin_to_celsius}
    from_c = {"C": lambda v: v, "F": celsius_to_fahrenheit, "K": celsius_to_kelvin}
    return from_c[target](to_c[source](value))
