from ports import check_port, split_address


def test_valid_port() -> None:
    assert check_port(443) == 443


def test_split() -> None:
    assert split_address("example.org:8080") == ("example.org", 8080)
    assert split_address("example.org") == ("example.org", 80)
