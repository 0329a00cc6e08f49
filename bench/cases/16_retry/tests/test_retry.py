import pytest

from retry import retry


class Flaky:
    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "ok"


def test_succeeds_after_retries() -> None:
    assert retry(Flaky(2, ConnectionError("down"))) == "ok"


def test_gives_up() -> None:
    with pytest.raises(TimeoutError):
        retry(Flaky(5, TimeoutError("slow")), attempts=3)


def test_other_errors_are_not_retried() -> None:
    flaky = Flaky(1, KeyError("missing"))
    with pytest.raises(KeyError):
        retry(flaky)
    assert flaky.calls == 1
