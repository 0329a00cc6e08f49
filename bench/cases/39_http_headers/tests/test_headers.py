from headers import content_length, parse_headers

RAW = (
    b"HTTP/1.1 404 Not Found\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-Length: 12\r\n"
    b"\r\n"
    b"<h1>404</h1>"
)


def test_status_and_headers() -> None:
    status, headers = parse_headers(RAW)
    assert status == 404
    assert headers["content-type"] == "text/html"


def test_content_length() -> None:
    assert content_length(parse_headers(RAW)[1]) == 12
    assert content_length({}) == 0
