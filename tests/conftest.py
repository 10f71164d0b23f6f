"""Shared fixtures: a real Sendbee-compatible sandbox server on a loopback port.

* ``sandbox`` — one server per test session (per xdist worker), on a temp db with
  the deterministic demo data. Read from it freely; do not mutate data that
  other tests rely on (sending to a phone you made up yourself is fine).
* ``fresh_sandbox`` — a server of its own for one test, for anything that mutates
  shared data, changes fault injection or depends on exact counts.

Both are :class:`sendbee_tui.sandbox.SandboxServer` objects: ``.base_url``,
``.api_key``, ``.api_secret``, ``.inbound(phone, text, name=None)``, ``.reset()``,
``.set_faults(latency_ms=..., error_rate=..., rate_limit_per_minute=...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sendbee_tui.sandbox import SandboxServer


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
