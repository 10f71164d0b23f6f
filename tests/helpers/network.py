"""A loopback address that refuses connections, and stays so for the whole test.

Binding port 0, reading the port and closing the socket (the usual "free port")
leaves a window in which another test in a parallel worker starts a sandbox on
that very port, and the "unreachable" server answers.  A socket that is bound
but never listens keeps the port taken while every connection to it is refused.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["refused_url"]


@contextmanager
def refused_url(host: str = "127.0.0.1") -> Iterator[str]:
    """``http://host:port`` where nothing listens while the ``with`` block runs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))  # no listen(): connecting gets "connection refused"
        yield f"http://{host}:{sock.getsockname()[1]}"
