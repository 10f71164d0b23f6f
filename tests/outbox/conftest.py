"""Fixtures for the outbox tests: a small sandbox of their own, a store, a phone maker."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from outbox_support import FaultTransport, make_client

from sendbee_tui.api import SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore

_phones = itertools.count(1)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    """A small sandbox per test module: the tests open windows and send freely in it."""
    srv = SandboxServer(contacts=4, conversations=4, messages_per_conversation=2)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def new_phone() -> Callable[[], str]:
    """A phone number no other test in this process uses."""
    return lambda: f"+3859955{next(_phones):05d}"


@pytest.fixture
def open_conversation(
    server: SandboxServer, new_phone: Callable[[], str]
) -> Callable[[], tuple[str, str]]:
    """A new customer writes in (opening the 24-hour window): (phone, conversation id)."""

    def make() -> tuple[str, str]:
        phone = new_phone()
        result = server.inbound(phone, "hello, I have a question", name="Test Customer")
        return phone, str(result["conversation_id"])

    return make


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LocalStore]:
    with LocalStore(tmp_path / "data", fsync=False) as db:
        yield db


@pytest.fixture
async def faults(server: SandboxServer) -> AsyncIterator[FaultTransport]:
    transport = FaultTransport()
    yield transport
    await transport.aclose()


@pytest.fixture
async def client(server: SandboxServer, faults: FaultTransport) -> AsyncIterator[SendbeeClient]:
    """The outbox's client, through the fault transport (no faults unless a test plans some)."""
    sb = make_client(server, faults)
    yield sb
    await sb.aclose()


@pytest.fixture
async def reader(server: SandboxServer) -> AsyncIterator[SendbeeClient]:
    """A clean client to count what really is on the server."""
    sb = make_client(server)
    yield sb
    await sb.aclose()
