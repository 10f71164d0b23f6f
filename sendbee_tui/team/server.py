"""The team server: SSH listener, hub, webhook receiver and housekeeping in one event loop.

:class:`TeamServer` is what ``sendbee-tui serve-ssh`` runs and what the tests
and the benchmark start on loopback ports.  One process, one asyncio loop:

* the hub (:mod:`~sendbee_tui.team.hub`) on 127.0.0.1, an ephemeral port,
  served by uvicorn inside this loop;
* the optional webhook receiver, also uvicorn, on ``--webhook-listen``;
* the asyncssh listener;
* two housekeeping tasks: reload the agents file when it changes, end idle sessions.

The session apps are subprocesses; everything else is in this loop, which is
why the hub is cheap (no thread hops, no locks) and why the loop must never
block: the only synchronous I/O is the team SQLite file (tiny writes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh
import httpx
import uvicorn

from sendbee_tui.api.auth import SendbeeAuth
from sendbee_tui.config import Profile, ensure_private_dir
from sendbee_tui.team.agents import Agent, AgentsWatcher
from sendbee_tui.team.hostkey import load_or_create_host_key
from sendbee_tui.team.hub import Hub
from sendbee_tui.team.sshserver import AppSession, TeamSSHServer
from sendbee_tui.team.teamstore import TeamStore
from sendbee_tui.team.upstream import Upstream, UpstreamFailure
from sendbee_tui.team.webhooks import WEBHOOK_PATH, build_webhook_app

__all__ = ["ServerConfig", "TeamServer"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerConfig:
    """Everything ``serve-ssh`` can be told (see :mod:`sendbee_tui.team.cli` for the options)."""

    agents_path: Path
    host_key_path: Path
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 2222
    team_db: Path | None = None
    webhook_listen: tuple[str, int] | None = None
    idle_timeout: float = 1800.0
    cache_ttl: float = 3.0
    webhook_ttl: float = 30.0
    max_sessions: int = 50
    hangup_grace: float = 5.0
    agents_poll: float = 2.0
    app_argv: Sequence[str] = field(default=(sys.executable, "-m", "sendbee_tui"))

    @property
    def db_path(self) -> Path:
        return self.team_db or self.data_dir / "team.sqlite3"


class _QuietServer(uvicorn.Server):
    """uvicorn inside our loop: the process's signals belong to ``serve-ssh``, not to uvicorn."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


class _Http:
    """One uvicorn server on a socket we bound (so port 0 is known at once)."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        self.sock = _listen(host, port)
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        self.server = _QuietServer(config)
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.server.serve([self.sock]))
        while not self.server.started:
            if self.task.done():
                self.task.result()
                raise RuntimeError("HTTP server stopped while starting")
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            with contextlib.suppress(Exception):
                await self.task
        self.sock.close()


class TeamServer:
    """The whole ``serve-ssh`` server; ``await start()``, then ``await stop()``.

    ``profile`` holds the account's real credentials; they go to the
    :class:`Upstream` and the webhook check only.
    """

    def __init__(
        self,
        config: ServerConfig,
        profile: Profile,
        *,
        server_env: Mapping[str, str] | None = None,
        upstream_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.config = config
        self._profile = profile
        self.server_env = dict(os.environ if server_env is None else server_env)
        for name in ("SENDBEE_API_KEY", "SENDBEE_API_SECRET"):
            self.server_env.pop(name, None)
        self._upstream_transport = upstream_transport
        self.sessions: set[AppSession] = set()
        self._tasks: list[asyncio.Task[Any]] = []
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._hub_http: _Http | None = None
        self._webhook_http: _Http | None = None
        self.agents: AgentsWatcher
        self.hub: Hub
        self.store: TeamStore
        self.ssh_port = 0

    def __repr__(self) -> str:
        return f"TeamServer(ssh_port={self.ssh_port}, sessions={len(self.sessions)})"

    @property
    def hub_url(self) -> str:
        assert self._hub_http is not None, "start() first"
        return f"http://127.0.0.1:{self._hub_http.port}"

    @property
    def webhook_url(self) -> str | None:
        if self._webhook_http is None or self.config.webhook_listen is None:
            return None
        host = self.config.webhook_listen[0]
        host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self._webhook_http.port}{WEBHOOK_PATH}"

    def agent_home(self, agent: Agent) -> Path:
        """The agent's own directory: drafts, read marks, the app's log."""
        return ensure_private_dir(self.config.data_dir / "agents" / agent.slug)

    # -- sessions ---------------------------------------------------------------------
    def admit(self, session: AppSession) -> bool:
        if len(self.sessions) >= self.config.max_sessions:
            logger.warning(
                "agent %s refused: %d sessions already", session.agent.name, len(self.sessions)
            )
            return False
        self.sessions.add(session)
        return True

    def discharge(self, session: AppSession) -> None:
        self.sessions.discard(session)

    # -- lifecycle --------------------------------------------------------------------
    async def start(self) -> TeamServer:
        cfg = self.config
        ensure_private_dir(cfg.data_dir)
        self.agents = AgentsWatcher(cfg.agents_path)
        host_key = load_or_create_host_key(cfg.host_key_path)
        self.store = TeamStore(cfg.db_path)
        upstream = Upstream(
            self._profile.base_url,
            self._profile.api_key,
            self._profile.api_secret,
            transport=self._upstream_transport,
        )
        self.hub = Hub(upstream, self.store, cache_ttl=cfg.cache_ttl, webhook_ttl=cfg.webhook_ttl)
        try:
            self._hub_http = _Http(self.hub.app, "127.0.0.1", 0)
            await self._hub_http.start()
            if cfg.webhook_listen is not None:
                receiver = build_webhook_app(self.hub, SendbeeAuth(self._profile.api_secret))
                self._webhook_http = _Http(receiver, *cfg.webhook_listen)
                await self._webhook_http.start()
            self._acceptor = await asyncssh.listen(
                cfg.host,
                cfg.port,
                server_factory=lambda: TeamSSHServer(self),
                server_host_keys=[host_key],
                encoding=None,
                agent_forwarding=False,
                x11_forwarding=False,
                allow_scp=False,
                line_editor=False,  # bytes go to the app untouched (no echo, no editing)
                keepalive_interval=60,
                login_timeout=30,
            )
        except BaseException:
            await self.stop()
            raise
        self.ssh_port = self._acceptor.get_port()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._watch_agents()),
            loop.create_task(self._idle()),
            loop.create_task(self.check_members()),
        ]
        logger.info(
            "serve-ssh listening on %s:%d (host key %s), %d agent(s); hub %s; webhooks %s",
            cfg.host,
            self.ssh_port,
            host_key.get_fingerprint(),
            len(self.agents.current.agents),
            self.hub_url,
            self.webhook_url or "off",
        )
        return self

    async def stop(self) -> None:
        """Stop listening, hang up every session (apps save drafts), close everything."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None
        ending = [s.end("the server is shutting down") for s in list(self.sessions)]
        if ending:
            await asyncio.gather(*ending, return_exceptions=True)
        for http in (self._webhook_http, self._hub_http):
            if http is not None:
                await http.stop()
        self._webhook_http = self._hub_http = None
        hub = getattr(self, "hub", None)
        if hub is not None:
            await hub.upstream.aclose()
        store = getattr(self, "store", None)
        if store is not None:
            store.close()

    async def serve_forever(self, stop: asyncio.Event) -> None:
        """Run until ``stop`` is set, then :meth:`stop`."""
        try:
            await stop.wait()
        finally:
            await self.stop()

    # -- housekeeping -----------------------------------------------------------------
    async def _watch_agents(self) -> None:
        while True:
            await asyncio.sleep(self.config.agents_poll)
            if self.agents.check():
                await self.check_members()

    async def check_members(self) -> list[Agent]:
        """Warn about agents whose ``member_id`` is not a member of the account's team.

        Their sends would be refused by Sendbee (``agent_id`` must be a member),
        so it is better to read it in the log at start than from an agent later.
        Returns those agents; a failed check is logged and returns ``[]``.
        """
        try:
            answer = await self.hub.upstream.send("GET", "/teams/members", "", None)
            members = json.loads(answer.body).get("data") if answer.status == 200 else None
        except (UpstreamFailure, ValueError, AttributeError):
            members = None
        if not isinstance(members, list):
            logger.warning("could not check the agents' member_id against the team members")
            return []
        known = {m.get("id") for m in members if isinstance(m, dict)}
        strangers = [a for a in self.agents.current.agents if a.member_id not in known]
        for agent in strangers:
            logger.warning(
                "agent %s: member_id %s is not a member of the account's team; "
                "their sends will be refused",
                agent.name,
                agent.member_id,
            )
        return strangers

    async def _idle(self) -> None:
        limit = self.config.idle_timeout
        period = max(0.05, min(30.0, limit / 4))
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for session in list(self.sessions):
                if now - session.last_input > limit:
                    session.end_idle()
