from report import build_report, format_row


def test_row() -> None:
    assert format_row("pens", 3.5) == "pens" + " " * 16 + "      3.50"


def test_report_order_and_total() -> None:
    lines = build_report({"a": 1.0, "b": 2.0}).splitlines()
    assert [line.split()[0] for line in lines] == ["b", "a", "TOTAL"]
    assert lines[-1].endswith("3.00")
