"""End to end: two agents log in over real SSH; a claim in one session shows in the other."""

from __future__ import annotations

import os
import re
from pathlib import Path

from team_support import connect, read_until, wait_until

from sendbee_tui.sandbox import SandboxServer


def _plain(data: bytes) -> bytes:
    """Terminal output without escape sequences."""
    return re.sub(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]", b"", data)


async def test_a_claim_made_over_ssh_is_seen_in_another_session(
    sandbox: SandboxServer, start_server, keys
) -> None:
    server = await start_server(sandbox)
    server.server_env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    async with (
        await connect(server, keys["ana"]) as ana_conn,
        await connect(server, keys["borna"]) as borna_conn,
    ):
        ana_in, ana_out, _ = await ana_conn.open_session(
            term_type="xterm-256color", term_size=(140, 40), encoding=None
        )
        borna_in, borna_out, _ = await borna_conn.open_session(
            term_type="xterm-256color", term_size=(140, 40), encoding=None
        )
        # Both inboxes painted, each naming its agent and offering claims (one read each:
        # read_until consumes what it reads).
        for reader, name in ((ana_out, "Ana Horvat"), (borna_out, "Borna Kovač")):
            await read_until(
                reader,
                lambda out, name=name: (
                    f"{name} · team".encode() in _plain(out) and b"c Claim" in _plain(out)
                ),
                timeout=60,
            )

        borna_in.write(b"\r")  # Borna opens the first conversation
        ana_in.write(b"c")  # Ana claims it (the highlighted row)
        await wait_until(lambda: len(server.store.claims()) == 1, timeout=20)
        claim = server.store.claims()[0]
        assert claim.agent_name == "Ana Horvat"

        # Borna's terminal shows it: over her thread, and as Ana's mark on the row.
        out = await read_until(
            borna_out,
            lambda out: (
                b"Ana Horvat is handling this" in _plain(out) and "⚑ AH".encode() in _plain(out)
            ),
            timeout=30,
        )
        # And Ana's own terminal shows it as hers.
        await read_until(ana_out, lambda out: "⚑ me".encode() in _plain(out), timeout=20)

        # The real key and secret never reach a session's terminal.
        for output in (out,):
            assert sandbox.api_key.encode() not in output
            assert sandbox.api_secret.encode() not in output
        for session in server.sessions:
            environ = Path(f"/proc/{session.app.pid}/environ").read_bytes()
            assert sandbox.api_secret.encode() not in environ

        ana_in.write(b"q")
        borna_in.write(b"q")
        await ana_out.channel.wait_closed()
        await borna_out.channel.wait_closed()
    await wait_until(lambda: not server.sessions, timeout=15)
