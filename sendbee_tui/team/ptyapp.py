"""The inbox app in a subprocess on its own pseudo-terminal, for one SSH session.

Why a process per session (not one Textual app serving many terminals): the
app is an ordinary terminal program; on its own PTY it needs no change to run
for a remote agent, one crash takes one session down, and the kernel
accounts memory and CPU per agent.

Why a PTY (not pipes): Textual wants a terminal (raw mode, window size,
SIGWINCH).  The child gets the PTY's slave side as stdin/stdout/stderr and as
its controlling terminal, in a session of its own; the server keeps the
master side and copies bytes between it and the SSH channel.  Resizes are set
on the PTY (TIOCSWINSZ) and signalled (SIGWINCH).  Hanging up sends SIGHUP to
the app's process group (the app saves drafts and exits cleanly on it), then
SIGKILL after a grace period; the child is always reaped.

The environment is built from scratch (:func:`app_environment`): nothing of
the server's own environment leaks in, least of all the account's
credentials, which the server may have been given as ``SENDBEE_API_SECRET``.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import termios
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["AppProcess", "app_environment"]

logger = logging.getLogger(__name__)

_READ_SIZE = 65536
#: Environment variables passed through from the server when set (none carries a secret).
_PASS_THROUGH = ("PYTHONPATH", "TZ")
_SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


def app_environment(
    *,
    home: Path,
    term: str,
    colorterm: str | None,
    hub_url: str,
    api_key: str,
    api_secret: str,
    agent_name: str,
    member_id: str,
    session_id: str,
    server_env: Mapping[str, str],
) -> dict[str, str]:
    """The session app's whole environment (documented in docs/team-server.md).

    ``api_key``/``api_secret`` are the session's own hub credentials, never the account's.
    """
    lang = server_env.get("LANG", "")
    env = {
        "PATH": _SAFE_PATH,
        "HOME": str(home),
        "LANG": lang if "utf" in lang.lower() else "C.UTF-8",
        "TERM": term or "xterm-256color",
        "SENDBEE_TUI_HOME": str(home),
        "SENDBEE_BASE_URL": hub_url,
        "SENDBEE_API_KEY": api_key,
        "SENDBEE_API_SECRET": api_secret,
        "SENDBEE_TUI_TEAM": "1",
        "SENDBEE_TUI_TEAM_AGENT": agent_name,
        "SENDBEE_TUI_TEAM_MEMBER_ID": member_id,
        "SENDBEE_TUI_TEAM_SESSION": session_id,
    }
    if colorterm in ("truecolor", "24bit"):
        env["COLORTERM"] = colorterm
    for name in _PASS_THROUGH:
        value = server_env.get(name)
        if value:
            env[name] = value
    return env


def _winsize(cols: int, rows: int, xpix: int = 0, ypix: int = 0) -> bytes:
    values = (max(0, min(int(v), 0xFFFF)) for v in (rows, cols, xpix, ypix))
    return struct.pack("HHHH", *values)


def _take_controlling_terminal() -> None:  # pragma: no cover - runs in the child
    # After setsid() (start_new_session): make the PTY on fd 0 the controlling
    # terminal, so the kernel's hangup and job-control rules apply to the app.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class AppProcess:
    """One app subprocess on a PTY; ``on_output`` receives its bytes, ``on_exit`` its status."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        cwd: Path,
        size: tuple[int, int, int, int],
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
    ) -> None:
        self._argv = list(argv)
        self._env = dict(env)
        self._cwd = cwd
        self._size = size
        self._on_output = on_output
        self._on_exit = on_exit
        self._master = -1
        self._proc: asyncio.subprocess.Process | None = None
        self._pending = bytearray()
        self._reading = False
        self._paused = False
        self._waiter: asyncio.Task[None] | None = None
        self._hung_up = False
        self.returncode: int | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    async def start(self) -> None:
        master, slave = os.openpty()
        try:
            fcntl.ioctl(master, termios.TIOCSWINSZ, _winsize(*self._size))
            self._proc = await asyncio.create_subprocess_exec(
                *self._argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self._env,
                cwd=self._cwd,
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._master = master
        os.set_blocking(master, False)
        self._start_reading()
        self._waiter = asyncio.get_running_loop().create_task(self._wait())

    # -- output -----------------------------------------------------------------------
    def _start_reading(self) -> None:
        if not self._reading and self._master >= 0 and not self._paused:
            asyncio.get_running_loop().add_reader(self._master, self._readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            asyncio.get_running_loop().remove_reader(self._master)
            self._reading = False

    def _readable(self) -> None:
        try:
            data = os.read(self._master, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every slave fd is closed (the app exited)
            data = b""
        if not data:
            self._stop_reading()
            return
        self._on_output(data)

    def pause_output(self) -> None:
        """Stop reading the app's output (the SSH channel's buffer is full)."""
        self._paused = True
        self._stop_reading()

    def resume_output(self) -> None:
        self._paused = False
        self._start_reading()

    # -- input ------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Keystrokes (and pasted text) for the app."""
        if self._master < 0 or self.returncode is not None:
            return
        self._pending += data
        self._flush()

    def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_writer(self._master)
        while self._pending:
            try:
                written = os.write(self._master, self._pending)
            except BlockingIOError:
                loop.add_writer(self._master, self._flush)
                return
            except OSError:
                self._pending.clear()
                return
            del self._pending[:written]

    def resize(self, cols: int, rows: int, xpix: int = 0, ypix: int = 0) -> None:
        if self._master < 0 or self._proc is None or self.returncode is not None:
            return
        with contextlib.suppress(OSError):
            fcntl.ioctl(self._master, termios.TIOCSWINSZ, _winsize(cols, rows, xpix, ypix))
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGWINCH)

    # -- ending -----------------------------------------------------------------------
    async def _wait(self) -> None:
        assert self._proc is not None
        code = await self._proc.wait()
        self.returncode = code
        # Whatever the app wrote last (restoring the screen) is still in the PTY.
        self._paused = False
        self._stop_reading()
        while self._master >= 0:
            try:
                data = os.read(self._master, _READ_SIZE)
            except OSError:
                break
            if not data:
                break
            self._on_output(data)
        loop = asyncio.get_running_loop()
        loop.remove_writer(self._master)
        os.close(self._master)
        self._master = -1
        self._on_exit(code)

    async def hangup(self, grace: float = 5.0) -> int | None:
        """SIGHUP the app's process group, SIGKILL it after ``grace`` s; returns the exit status."""
        proc = self._proc
        if proc is None or self._waiter is None:
            return None
        if self.returncode is None:
            if not self._hung_up:
                # Once only: a second SIGHUP would land in the app's own hangup handling
                # (which saves drafts under a lock) and could deadlock it.
                self._hung_up = True
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGHUP)
            try:
                await asyncio.wait_for(asyncio.shield(self._waiter), grace)
            except asyncio.TimeoutError:
                logger.warning(
                    "session app %s ignored SIGHUP for %.0f s; killing it", proc.pid, grace
                )
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
        await asyncio.shield(self._waiter)
        return self.returncode
