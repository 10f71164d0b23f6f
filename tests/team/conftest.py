"""Fixtures for the team server: agents with fresh SSH keys, a hub in front of a sandbox.

* ``members`` — the sandbox's team members (``id``, ``name``), for agents' ``member_id``;
* ``keys`` — three fresh ed25519 client keys: Ana's, Borna's and a stranger's;
* ``agents_file`` — an agents file for Ana and Borna (Ana has member 0, Borna member 1);
* ``make_hub`` — a :class:`Hub` over a sandbox, driven in-process (ASGI transport)
  with a fake clock, for cache and team-endpoint tests;
* ``start_server`` — a real :class:`TeamServer` on loopback port 0 (SSH, hub, webhooks).
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from team_support import FAKE_APP, FakeClock, HubHarness, agents_toml, members_of, profile_for

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team.agents import AgentsWatcher
from sendbee_tui.team.hub import Hub
from sendbee_tui.team.server import ServerConfig, TeamServer
from sendbee_tui.team.teamstore import TeamStore
from sendbee_tui.team.upstream import Upstream


@pytest.fixture(scope="session")
def members(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return members_of(sandbox)


@pytest.fixture(scope="session")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {
        who: asyncssh.generate_private_key("ssh-ed25519", comment=f"{who}@test")
        for who in ("ana", "borna", "stranger")
    }


@pytest.fixture
def agents_file(
    tmp_path: Path, members: list[dict[str, Any]], keys: dict[str, asyncssh.SSHKey]
) -> Path:
    path = tmp_path / "agents.toml"
    path.write_text(agents_toml(members, keys), encoding="utf-8")
    return path


@pytest.fixture
async def make_hub(
    tmp_path: Path, agents_file: Path
) -> AsyncIterator[Callable[..., Awaitable[HubHarness]]]:
    made: list[HubHarness] = []

    async def make(server: SandboxServer, **options: Any) -> HubHarness:
        clock = FakeClock()
        timeout = options.pop("upstream_timeout", 15.0)
        upstream = Upstream(server.base_url, server.api_key, server.api_secret, timeout=timeout)
        store = TeamStore(tmp_path / f"team{len(made)}.sqlite3")
        hub = Hub(upstream, store, clock=clock, **options)
        harness = HubHarness(hub, AgentsWatcher(agents_file), clock)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.close()


@pytest.fixture
async def start_server(
    tmp_path: Path, agents_file: Path
) -> AsyncIterator[Callable[..., Awaitable[TeamServer]]]:
    started: list[TeamServer] = []

    async def start(upstream: SandboxServer, **options: Any) -> TeamServer:
        config = ServerConfig(
            agents_path=agents_file,
            host_key_path=tmp_path / "host_key",
            data_dir=tmp_path / "data",
            host="127.0.0.1",
            port=0,
            agents_poll=0.05,
            hangup_grace=3.0,
            **options,
        )
        server = TeamServer(config, profile_for(upstream), server_env={"LANG": "C.UTF-8"})
        await server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        await server.stop()


@pytest.fixture
def fake_app_argv(tmp_path: Path) -> Iterator[tuple[str, ...]]:
    """The stand-in app; its stderr goes to a file that must stay empty (no traceback)."""
    errors = tmp_path / "fake-app-stderr.txt"
    yield (sys.executable, "-c", FAKE_APP, str(errors))
    text = errors.read_text() if errors.exists() else ""
    assert not text.strip(), text
