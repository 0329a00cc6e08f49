from money import format_cents, split_bill, to_cents


def test_to_cents() -> None:
    assert to_cents(0.29) == 29
    assert to_cents(19.99) == 1999
    assert to_cents(5) == 500


def test_format() -> None:
    assert format_cents(1999) == "19.99"
    assert format_cents(-5) == "-0.05"


def test_split() -> None:
    assert split_bill(10.0, 3) == [334, 333, 333]
    assert sum(split_bill(0.29, 2)) == 29
