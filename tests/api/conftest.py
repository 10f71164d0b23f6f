"""Fixtures for the API client tests (helpers live in ``apitest_support``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from apitest_support import API_KEY, API_SECRET, FakeSleep, Recorder

from sendbee_tui.api import SendbeeClient


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def make_client(fake_sleep: FakeSleep) -> AsyncIterator[Callable[..., SendbeeClient]]:
    """Build clients with test credentials and the fake sleep; closes them afterwards."""
    made: list[SendbeeClient] = []

    def factory(base_url: str = "http://127.0.0.1:9", **kwargs: Any) -> SendbeeClient:
        kwargs.setdefault("sleep", fake_sleep)
        client = SendbeeClient(API_KEY, API_SECRET, base_url=base_url, **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def client(recorder: Recorder, make_client: Callable[..., SendbeeClient]) -> SendbeeClient:
    return make_client(recorder.base_url)
