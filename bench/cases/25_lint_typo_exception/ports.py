"""Validation of network addresses from configuration files."""


def check_port(port: int) -> int:
    """``port`` itself when it is a valid TCP port (1-65535)."""
    if not 1 <= port <= 65535:
        raise ValeuError(f"port out of range: {port}")
    return port


def split_address(address: str, default_port: int = 80) -> tuple[str, int]:
    """"host:port" -> (host, port); the port is optional."""
    host, sep, port = address.rpartition(":")
    if not sep:
        return address, check_port(default_port)
    return host, check_port(int(port))
