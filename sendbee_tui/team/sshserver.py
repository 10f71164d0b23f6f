"""The SSH side: public-key login against the agents file, one inbox app per terminal session.

What an SSH client may do here is deliberately narrow: log in with a key
listed in the agents file (no passwords, no keyboard-interactive), open
session channels that request a PTY and a shell, and type.  Exec requests
(``ssh host cmd``), subsystems (sftp), port forwarding, agent and X11
forwarding are all refused: the server runs the inbox app, not a shell.

:class:`AppSession` bridges one SSH channel to one :class:`AppProcess`.  It
also keeps the time of the agent's last keystroke for the idle timeout.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

import asyncssh
from asyncssh.channel import SSHChannel
from asyncssh.misc import TermModes

from sendbee_tui.team.agents import Agent
from sendbee_tui.team.ptyapp import AppProcess, app_environment

if TYPE_CHECKING:
    from sendbee_tui.team.server import TeamServer
    from sendbee_tui.team.sessions import HubSession

__all__ = ["AppSession", "TeamSSHServer"]

logger = logging.getLogger(__name__)


class TeamSSHServer(asyncssh.SSHServer):
    """One SSH connection: authenticates the key, then hands out :class:`AppSession` objects."""

    def __init__(self, team: TeamServer) -> None:
        self._team = team
        self._peer = "?"
        self.agent: Agent | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername")
        self._peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else "?"

    def connection_lost(self, exc: Exception | None) -> None:
        if self.agent is not None:
            logger.info("agent %s disconnected (%s)", self.agent.name, self._peer)

    def begin_auth(self, username: str) -> bool:
        return True  # always authenticate; the user name itself is ignored

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        agent = self._team.agents.current.agent_for(key)
        if agent is None:
            logger.warning(
                "refused key %s from %s: not in the agents file", key.get_fingerprint(), self._peer
            )
            return False
        self.agent = agent
        return True

    def auth_completed(self) -> None:
        if self.agent is not None:
            logger.info("agent %s logged in from %s", self.agent.name, self._peer)

    def session_requested(self) -> AppSession | bool:
        if self.agent is None:
            return False
        return AppSession(self._team, self.agent, self._peer)


class AppSession(asyncssh.SSHServerSession[bytes]):
    """One terminal session running the inbox app for ``agent``."""

    def __init__(self, team: TeamServer, agent: Agent, peer: str) -> None:
        self._team = team
        self.agent = agent
        self._peer = peer
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._term: str | None = None
        self._size = (80, 24, 0, 0)
        self.app: AppProcess | None = None
        self.hub_session: HubSession | None = None
        self.last_input = time.monotonic()
        self._closed = False
        self._end_reason: str | None = None
        self._ending: asyncio.Task[None] | None = None
        self._starting: asyncio.Task[None] | None = None

    # -- requests ---------------------------------------------------------------------
    def connection_made(self, chan: SSHChannel[bytes]) -> None:
        assert isinstance(chan, asyncssh.SSHServerChannel)
        self._chan = chan

    def pty_requested(
        self,
        term_type: str,
        term_size: tuple[int, int, int, int],
        term_modes: TermModes,
    ) -> bool:
        self._term = term_type
        if term_size[0] and term_size[1]:
            self._size = term_size
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        logger.warning("agent %s: exec request refused", self.agent.name)
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        logger.warning("agent %s: subsystem %r refused", self.agent.name, subsystem)
        return False

    def session_started(self) -> None:
        assert self._chan is not None
        if self._term is None:
            self._chan.write_stderr(
                b"sendbee-tui: this server only runs the inbox in a terminal; "
                b"connect with `ssh -t`.\r\n"
            )
            self._chan.exit(2)
            return
        if not self._team.admit(self):
            self._chan.write_stderr(b"sendbee-tui: the server is full; try again later.\r\n")
            self._chan.exit(3)
            return
        self._starting = asyncio.get_running_loop().create_task(self._start_app())

    async def _start_app(self) -> None:
        assert self._chan is not None and self._term is not None
        team = self._team
        self.hub_session = session = team.hub.sessions.open(self.agent)
        home = team.agent_home(self.agent)
        env_in = self._chan.get_environment()
        env = app_environment(
            home=home,
            term=self._term,
            colorterm=env_in.get("COLORTERM"),
            hub_url=team.hub_url,
            api_key=session.api_key,
            api_secret=session.api_secret,
            agent_name=self.agent.name,
            member_id=self.agent.member_id,
            session_id=session.id,
            server_env=team.server_env,
        )
        self.app = AppProcess(
            team.config.app_argv,
            env,
            cwd=home,
            size=self._size,
            on_output=self._output,
            on_exit=self._app_exited,
        )
        try:
            await self.app.start()
        except OSError as exc:
            logger.error("agent %s: cannot start the app: %s", self.agent.name, exc)
            self._release_hub_session()
            self._chan.write_stderr(b"sendbee-tui: the inbox could not be started.\r\n")
            self._chan.exit(1)
            return
        logger.info(
            "agent %s: session %s started (app pid %s, %s %dx%d)",
            self.agent.name,
            session.id,
            self.app.pid,
            self._term,
            self._size[0],
            self._size[1],
        )
        if self._closed:  # the client went away while the app was starting
            self._end_soon()

    # -- bytes ------------------------------------------------------------------------
    def _output(self, data: bytes) -> None:
        if self._chan is not None and not self._closed:
            self._chan.write(data)

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        if self.app is not None:
            self.app.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = (width, height, pixwidth, pixheight)
        if self.app is not None:
            self.app.resize(width, height, pixwidth, pixheight)

    def pause_writing(self) -> None:
        logger.debug("agent %s: output paused (SSH window full)", self.agent.name)
        if self.app is not None:
            self.app.pause_output()

    def resume_writing(self) -> None:
        if self.app is not None:
            self.app.resume_output()

    def eof_received(self) -> bool:
        return True  # keep the channel open: the app decides when the session ends

    # -- ending -----------------------------------------------------------------------
    def _app_exited(self, code: int) -> None:
        logger.info(
            "agent %s: session %s app exited with %s",
            self.agent.name,
            self.hub_session.id if self.hub_session else "-",
            code,
        )
        self._release_hub_session()
        if self._chan is not None and not self._closed:
            if self._end_reason:
                self._chan.write(f"\r\nsendbee-tui: {self._end_reason}\r\n".encode())
            self._chan.exit(code if code >= 0 else 128 - code)

    def _release_hub_session(self) -> None:
        if self.hub_session is not None:
            self._team.hub.end_session(self.hub_session)
        self._team.discharge(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        if self.app is not None:
            # Keep draining the PTY (output is dropped now): an app blocked on a full
            # terminal could not act on the SIGHUP that asks it to save and exit.
            self.app.resume_output()
        self._end_soon()

    def _end_soon(self) -> None:
        if self._ending is None:
            self._ending = asyncio.get_running_loop().create_task(self.end(None))

    async def end(self, reason: str | None) -> None:
        """Hang up the app (SIGHUP, then SIGKILL), say ``reason`` if the client is still there."""
        self._end_reason = reason
        if self._starting is not None and not self._starting.done():
            await asyncio.shield(self._starting)
        if self.app is not None and self.app.pid is not None:
            await self.app.hangup(self._team.config.hangup_grace)
            return
        self._release_hub_session()
        if self._chan is not None and not self._closed:
            if reason:
                self._chan.write(f"\r\nsendbee-tui: {reason}\r\n".encode())
            self._chan.exit(0)

    def end_idle(self) -> None:
        """Called by the server's idle check."""
        if self._ending is None:
            minutes = self._team.config.idle_timeout / 60
            logger.info(
                "agent %s: session ended after %.0f min without input", self.agent.name, minutes
            )
            self._ending = asyncio.get_running_loop().create_task(
                self.end(f"session ended after {minutes:g} minutes without input")
            )
