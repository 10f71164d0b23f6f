"""A Sendbee-compatible server on SQLite. Must never import Textual or sendbee_tui.api.

Public API::

    from sendbee_tui.sandbox import SandboxServer, DEFAULT_API_KEY, DEFAULT_API_SECRET
    with SandboxServer() as server:          # fresh temp db with demo data
        print(server.base_url)               # http://127.0.0.1:<port>
"""

from sendbee_tui.sandbox.server import (
    DEFAULT_API_KEY,
    DEFAULT_API_SECRET,
    SandboxOptions,
    SandboxServer,
    create_app,
)

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_API_SECRET",
    "SandboxOptions",
    "SandboxServer",
    "create_app",
]
