"""The SSH side, with a real asyncssh client on loopback: keys, PTY plumbing, refusals, idle."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import asyncssh
import pytest
from team_support import connect, read_until, wait_until

from sendbee_tui.sandbox import SandboxServer


async def test_a_listed_key_gets_a_terminal_and_a_stranger_is_refused(
    sandbox: SandboxServer, start_server, keys, fake_app_argv
) -> None:
    server = await start_server(sandbox, app_argv=fake_app_argv)
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, keys["stranger"])

    async with await connect(server, keys["ana"]) as conn:
        stdin, stdout, _ = await conn.open_session(
            term_type="xterm-256color", term_size=(100, 30), encoding=None
        )
        await read_until(stdout, b"size=100x30")
        stdin.write(b"hi")
        await read_until(stdout, b"[hi]")
        stdin.channel.change_terminal_size(120, 40)
        await read_until(stdout, b"size=120x40")
        (session,) = server.sessions
        assert session.agent.name == "Ana Horvat"
        pid = session.app.pid
        assert pid is not None
        stdin.write(b"q")  # the app exits: the session ends with its status
        await stdout.channel.wait_closed()
        assert stdout.channel.get_exit_status() == 0
    await wait_until(lambda: not server.sessions)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped, not a zombie


async def test_closing_the_channel_hangs_up_the_app_and_reaps_it(
    sandbox: SandboxServer, start_server, keys, fake_app_argv
) -> None:
    server = await start_server(sandbox, app_argv=fake_app_argv)
    async with await connect(server, keys["borna"]) as conn:
        _, stdout, _ = await conn.open_session(term_type="xterm", encoding=None)
        await read_until(stdout, b"size=")
        (session,) = server.sessions
        pid, hub_session = session.app.pid, session.hub_session
        assert server.hub.sessions.active() == [hub_session]
    await wait_until(lambda: not server.sessions)
    assert session.app.returncode == 0  # the fake app exits 0 on SIGHUP only
    assert server.hub.sessions.active() == []  # its hub credentials are gone too
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_only_the_terminal_session_is_honoured(
    sandbox: SandboxServer, start_server, keys, fake_app_argv
) -> None:
    server = await start_server(sandbox, app_argv=fake_app_argv)
    async with await connect(server, keys["ana"]) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.run("cat /etc/passwd")
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
            await conn.start_sftp_client()
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", server.ssh_port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)
        # A shell without a PTY gets an explanation, not a shell.
        result = await conn.run(term_type=None, request_pty=False)
        assert result.exit_status == 2
        assert "only runs the inbox in a terminal" in str(result.stderr)
    assert not server.sessions


async def test_the_agents_file_reloads_without_dropping_sessions(
    sandbox: SandboxServer, start_server, keys, agents_file: Path, fake_app_argv
) -> None:
    server = await start_server(sandbox, app_argv=fake_app_argv)
    async with await connect(server, keys["ana"]) as conn:
        stdin, stdout, _ = await conn.open_session(term_type="xterm", encoding=None)
        await read_until(stdout, b"size=")

        good = agents_file.read_text()
        agents_file.write_text(good + "\n[[agent]]\nname = 'Broken\n")
        await wait_until(lambda: server.agents.last_error is not None)
        assert "line 13" in str(server.agents.last_error)

        stranger = keys["stranger"].export_public_key().decode().strip()
        agents_file.write_text(
            good + f'\n[[agent]]\nname = "Cvita"\nmember_id = "m3"\nkeys = ["{stranger}"]\n'
        )
        await wait_until(lambda: len(server.agents.current.agents) == 3)
        async with await connect(server, keys["stranger"]):
            pass
        stdin.write(b"still here")  # Ana's session went on through both reloads
        await read_until(stdout, b"[still here]")


async def test_an_idle_session_is_ended(
    sandbox: SandboxServer, start_server, keys, fake_app_argv
) -> None:
    server = await start_server(sandbox, app_argv=fake_app_argv, idle_timeout=1.0)
    async with await connect(server, keys["ana"]) as conn:
        _, stdout, _ = await conn.open_session(term_type="xterm", encoding=None)
        out = await read_until(stdout, b"without input", timeout=10)
        assert b"bye" in out  # the app got SIGHUP and could say goodbye first
        await stdout.channel.wait_closed()
    await wait_until(lambda: not server.sessions)


async def test_a_session_runs_the_inbox_against_the_hub(
    sandbox: SandboxServer, start_server, keys, make_hub
) -> None:
    h = await make_hub(sandbox)
    page = await h.client(h.open(h.ana)).conversations.list(folder="open", limit=10)
    names = [c.contact.name for c in page.items if c.contact.name.isprintable()]
    assert names

    server = await start_server(sandbox)
    server.server_env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    async with await connect(server, keys["ana"]) as conn:
        _, stdout, _ = await conn.open_session(
            term_type="xterm-256color", term_size=(140, 40), encoding=None
        )
        found: Callable[[bytes], bool] = lambda out: any(  # noqa: E731
            n.encode() in _plain(out) for n in names
        )
        await read_until(stdout, found, timeout=60)
        (session,) = server.sessions
        environ = Path(f"/proc/{session.app.pid}/environ").read_bytes().split(b"\0")
        env = dict(item.decode().split("=", 1) for item in environ if item)
        assert env["SENDBEE_API_KEY"].startswith("team-")
        assert env["SENDBEE_BASE_URL"] == server.hub_url
        assert env["SENDBEE_TUI_TEAM"] == "1"
        assert env["SENDBEE_TUI_TEAM_AGENT"] == "Ana Horvat"
        blob = b"\0".join(environ)
        assert sandbox.api_key.encode() not in blob
        assert sandbox.api_secret.encode() not in blob
        cmdline = Path(f"/proc/{session.app.pid}/cmdline").read_bytes()
        assert sandbox.api_secret.encode() not in cmdline
        assert server.hub.upstream.counts["GET /conversations"] >= 1
    await wait_until(lambda: not server.sessions, timeout=15)


def _plain(data: bytes) -> bytes:
    """Terminal output without escape sequences."""
    return re.sub(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]", b"", data)


@pytest.fixture(autouse=True)
def _no_stray_children() -> Iterator[None]:
    """Every test reaps what it spawned (a zombie would show up as a leftover child)."""
    yield
    try:
        children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()
    except OSError:
        return
    assert not [c for c in children if _is_app(int(c))], "session apps left running"


def _is_app(pid: int) -> bool:
    try:
        return (
            b"sendbee_tui" in Path(f"/proc/{pid}/cmdline").read_bytes()
            or b"SIGWINCH" in Path(f"/proc/{pid}/cmdline").read_bytes()
        )
    except OSError:
        return False


async def test_agents_with_an_unknown_member_id_are_named_in_the_log(
    sandbox: SandboxServer, start_server, agents_file: Path, keys, caplog
) -> None:
    server = await start_server(sandbox)
    assert await server.check_members() == []
    stranger = keys["stranger"].export_public_key().decode().strip()
    agents_file.write_text(
        agents_file.read_text()
        + f'\n[[agent]]\nname = "Cvita"\nmember_id = "not-a-member"\nkeys = ["{stranger}"]\n'
    )
    server.agents.check()
    assert [a.name for a in await server.check_members()] == ["Cvita"]
    assert "agent Cvita: member_id not-a-member is not a member" in caplog.text
