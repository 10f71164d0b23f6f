"""Helpers for the team server tests (fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncssh
import httpx

from sendbee_tui.api import SendbeeAuth, SendbeeClient
from sendbee_tui.config import Profile
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.team.agents import AgentsWatcher
from sendbee_tui.team.hub import Hub
from sendbee_tui.team.server import TeamServer
from sendbee_tui.team.sessions import HubSession


class FakeClock:
    """Monotonic time the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def members_of(server: SandboxServer) -> list[dict[str, Any]]:
    headers = {"X-Api-Key": server.api_key, "X-Auth-Token": SendbeeAuth(server.api_secret).token()}
    response = httpx.get(f"{server.base_url}/teams/members", headers=headers)
    response.raise_for_status()
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def agents_toml(members: list[dict[str, Any]], keys: dict[str, asyncssh.SSHKey]) -> str:
    def public(who: str) -> str:
        return keys[who].export_public_key().decode().strip()

    return (
        "# team agents\n"
        "[[agent]]\n"
        'name = "Ana Horvat"\n'
        f'member_id = "{members[0]["id"]}"\n'
        f'keys = ["{public("ana")}"]\n'
        "\n"
        "[[agent]]\n"
        'name = "Borna Kovač"\n'
        f'member_id = "{members[1]["id"]}"\n'
        f'keys = ["{public("borna")}"]\n'
    )


def profile_for(server: SandboxServer) -> Profile:
    return Profile(
        name="shop", api_key=server.api_key, api_secret=server.api_secret, base_url=server.base_url
    )


class HubHarness:
    """A hub over a sandbox, driven through an ASGI transport (no sockets, fake clock)."""

    def __init__(self, hub: Hub, agents: AgentsWatcher, clock: FakeClock) -> None:
        self.hub = hub
        self.agents = agents
        self.clock = clock
        self._clients: list[SendbeeClient] = []

    @property
    def ana(self) -> Any:
        return self.agents.current.agents[0]

    @property
    def borna(self) -> Any:
        return self.agents.current.agents[1]

    def open(self, agent: Any) -> HubSession:
        return self.hub.sessions.open(agent)

    def client(self, session: HubSession, *, max_retries: int = 0) -> SendbeeClient:
        """The API client an app in ``session`` would use, talking to the hub."""
        client = SendbeeClient(
            session.api_key,
            session.api_secret,
            base_url="http://hub",
            transport=httpx.ASGITransport(app=self.hub.app),
            max_retries=max_retries,
        )
        self._clients.append(client)
        return client

    def raw(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.hub.app), base_url="http://hub"
        )

    async def close(self) -> None:
        for client in self._clients:
            await client.aclose()
        await self.hub.upstream.aclose()
        self.hub.store.close()


async def connect(
    server: TeamServer, key: asyncssh.SSHKey, **options: Any
) -> asyncssh.SSHClientConnection:
    """An SSH client connection to ``server`` logging in with ``key`` only."""
    return await asyncssh.connect(
        "127.0.0.1",
        server.ssh_port,
        username="agent",
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        config=None,
        preferred_auth="publickey",
        **options,
    )


#: A stand-in for the app in PTY plumbing tests: prints its terminal size on start
#: and on SIGWINCH, echoes input in brackets, and says "bye" on SIGHUP. It writes with
#: os.write: a signal handler using sys.stdout could re-enter a buffered write and fail.
FAKE_APP = r"""
import os, signal, sys
sys.stderr = open(sys.argv[1], "a")
def size(*_):
    cols, rows = os.get_terminal_size(0)
    os.write(1, f"size={cols}x{rows}\n".encode())
def hup(*_):
    os.write(1, b"bye\n")
    os._exit(0)
signal.signal(signal.SIGWINCH, size)
signal.signal(signal.SIGHUP, hup)
import tty
tty.setraw(0)
size()
while True:
    data = os.read(0, 1024)
    if not data or data == b"q":
        break
    os.write(1, b"[" + data + b"]")
"""


async def read_until(
    reader: asyncssh.SSHReader[bytes],
    until: bytes | Callable[[bytes], bool],
    *,
    timeout: float = 20.0,
) -> bytes:
    """Read terminal output until ``until`` appears (or holds); fails with what was read."""
    check = until if callable(until) else (lambda out: until in out)
    out = b""

    async def loop() -> None:
        nonlocal out
        while not check(out):
            chunk = await reader.read(65536)
            if not chunk:
                raise AssertionError(f"EOF before the expected output; got {out[-2000:]!r}")
            out += chunk

    try:
        await asyncio.wait_for(loop(), timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"expected output not seen; got {out[-2000:]!r}") from None
    return out


async def wait_until(predicate: Callable[[], bool], *, timeout: float = 10.0) -> None:
    """Wait for a server-side condition (session gone, file reloaded), failing after ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)
