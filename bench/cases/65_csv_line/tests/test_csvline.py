import pytest

from csvline import join_line, parse_rows, split_line


def test_plain() -> None:
    assert split_line("a,b,,c") == ["a", "b", "", "c"]


def test_quoted_separator() -> None:
    assert split_line('1,"Smith, Jane",x') == ["1", "Smith, Jane", "x"]
    assert split_line('"a;b";c', sep=";") == ["a;b", "c"]


def test_escaped_quotes() -> None:
    assert split_line('"say ""hi""",end') == ['say "hi"', "end"]


def test_round_trip() -> None:
    values = ["plain", "with,comma", 'with "quote"', " padded "]
    assert split_line(join_line(values)) == values


def test_rows_and_errors() -> None:
    assert parse_rows("name,age\nann,31\n") == [{"name": "ann", "age": "31"}]
    with pytest.raises(ValueError):
        split_line('"open,field')
