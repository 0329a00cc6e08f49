"""Parse the header block of a raw HTTP/1.1 response."""


def parse_headers(raw: bytes) -> tuple[int, dict[str, str]]:
    """(status code, headers) from bytes up to the blank line.

    Header names are lowercased; values are stripped. Raw headers are ISO-8859-1.
    """
    head = raw.split("\r\n\r\n", 1)[0]
    status_line, *lines = head.split("\r\n")
    status = int(status_line.split()[1])
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def content_length(headers: dict[str, str]) -> int:
    """The Content-Length header as an int, 0 when absent."""
    return int(headers.get("content-length", "0"))
