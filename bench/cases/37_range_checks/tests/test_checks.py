from checks import failing, make_range_checks

LIMITS = {"temperature": (-10.0, 40.0), "humidity": (0.0, 100.0), "ph": (6.0, 8.0)}


def test_each_check_uses_its_own_range() -> None:
    checks = make_range_checks(LIMITS)
    assert checks["temperature"](25.0)
    assert checks["humidity"](55.0)
    assert not checks["ph"](9.0)


def test_failing() -> None:
    checks = make_range_checks(LIMITS)
    values = {"temperature": 45.0, "humidity": 50.0, "ph": 7.0}
    assert failing(checks, values) == ["temperature"]
