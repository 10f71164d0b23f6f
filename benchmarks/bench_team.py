"""Team server benchmark: N agents in real SSH sessions, each running the real inbox app.

Starts a sandbox in a separate process (its CPU and memory are not the
server's), then ``serve-ssh`` (:class:`TeamServer`) in this process on loopback,
then real asyncssh clients with a PTY each, and prints:

* keystroke echo latency with 20 concurrent sessions: send ``j`` (move down the
  list), time until the output repaints a list row; p50/p95 over all sessions,
  each agent typing at its own pace (0.3-0.8 s between keys).  "A list row" and
  not "any bytes": an idle app repaints its header and the pane divider about
  once a second on its own, which would pass for an echo.  The list rows of a
  140x40 terminal are the lines 3-38, drawn from column 1 (``ESC[<row>;1H``);
  the idle repaints never start a line there;
* memory per session: resident memory (VmRSS) of each spawned app process;
* upstream requests per minute (hub -> Sendbee) with 1, 3 and 20 idle sessions
  polling, against the "no hub" figure (every app polling Sendbee on its own =
  N x one session's rate).

Usage:  python benchmarks/bench_team.py [--sessions 20] [--window 30] [--keys 15]

On the reference 2-core machine, 20 apps starting at once take a while (each
Textual start costs CPU); the measurements start once every session has
painted its inbox and gone quiet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncssh
import httpx
from sandbox_process import start_sandbox

from sendbee_tui.api.auth import SendbeeAuth
from sendbee_tui.config import Profile
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET
from sendbee_tui.team.server import ServerConfig, TeamServer

#: Cursor moves to column 1 of a list row: what moving the selection repaints.
LIST_ROW_PAINT = re.compile(rb"\x1b\[([3-9]|[12][0-9]|3[0-8]);1H")


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def write_agents(path: Path, base_url: str, count: int) -> list[asyncssh.SSHKey]:
    headers = {
        "X-Api-Key": DEFAULT_API_KEY,
        "X-Auth-Token": SendbeeAuth(DEFAULT_API_SECRET).token(),
    }
    members = httpx.get(f"{base_url}/teams/members", headers=headers).json()["data"]
    keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(count)]
    tables = [
        f'[[agent]]\nname = "Agent {i:02d}"\nmember_id = "{members[i % len(members)]["id"]}"\n'
        f'keys = ["{key.export_public_key().decode().strip()}"]\n'
        for i, key in enumerate(keys)
    ]
    path.write_text("\n".join(tables))
    return keys


class Terminal:
    """One agent: an SSH connection with a PTY session, its output read continuously."""

    def __init__(self) -> None:
        self.conn: asyncssh.SSHClientConnection | None = None
        self.stdin: Any = None
        self.received = 0
        self.last_output = time.monotonic()
        self._since_key = bytearray()
        self._event = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    async def open(self, port: int, key: asyncssh.SSHKey) -> None:
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username="agent",
            client_keys=[key],
            known_hosts=None,
            agent_path=None,
            config=None,
        )
        self.stdin, stdout, _ = await self.conn.open_session(
            term_type="xterm-256color", term_size=(140, 40), encoding=None
        )
        self._reader = asyncio.get_running_loop().create_task(self._read(stdout))

    async def _read(self, stdout: Any) -> None:
        while True:
            chunk = await stdout.read(65536)
            if not chunk:
                return
            self.received += len(chunk)
            self.last_output = time.monotonic()
            self._since_key += chunk
            if LIST_ROW_PAINT.search(self._since_key):
                self._event.set()

    async def settled(self, settle: float = 2.0) -> None:
        """Wait until the app has painted its inbox, then ``settle`` more seconds."""
        while self.received < 5000:
            await asyncio.sleep(0.1)
        await asyncio.sleep(settle)

    async def keystroke(self, key: bytes = b"j", timeout: float = 5.0) -> float:
        """Seconds from sending ``key`` to the repaint of a list row."""
        self._event.clear()
        self._since_key.clear()
        started = time.perf_counter()
        self.stdin.write(key)
        await asyncio.wait_for(self._event.wait(), timeout)
        return time.perf_counter() - started

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await self.conn.wait_closed()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader


async def open_terminals(server: TeamServer, keys: list[asyncssh.SSHKey]) -> list[Terminal]:
    terminals = [Terminal() for _ in keys]
    await asyncio.gather(
        *(t.open(server.ssh_port, k) for t, k in zip(terminals, keys, strict=True))
    )
    await asyncio.gather(*(t.settled() for t in terminals))
    return terminals


async def upstream_rate(server: TeamServer, window: float) -> float:
    """Upstream requests per minute over ``window`` seconds of idle polling."""
    before = server.hub.upstream.total
    await asyncio.sleep(window)
    return (server.hub.upstream.total - before) * 60 / window


async def typing(terminal: Terminal, count: int, rng: random.Random) -> list[float]:
    samples = []
    for _ in range(count):
        await asyncio.sleep(rng.uniform(0.3, 0.8))
        with contextlib.suppress(asyncio.TimeoutError):
            samples.append(await terminal.keystroke())
    return samples


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-team-") as tmp:
        root = Path(tmp)
        sandbox, base = start_sandbox(root / "sandbox.db")
        try:
            keys = write_agents(root / "agents.toml", base, args.sessions)
            profile = Profile("bench", DEFAULT_API_KEY, DEFAULT_API_SECRET, base)
            config = ServerConfig(
                agents_path=root / "agents.toml",
                host_key_path=root / "host_key",
                data_dir=root / "data",
                port=0,
                max_sessions=args.sessions + 5,
            )
            server = await TeamServer(config, profile, server_env=_server_env()).start()
            try:
                await run(server, keys, args)
            finally:
                await server.stop()
        finally:
            sandbox.terminate()
            sandbox.wait(10)


def _server_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "LANG", "TZ")}


async def run(server: TeamServer, keys: list[asyncssh.SSHKey], args: argparse.Namespace) -> None:
    rates: dict[int, float] = {}
    for count in (1, 3):
        terminals = await open_terminals(server, keys[:count])
        rates[count] = await upstream_rate(server, args.window)
        for t in terminals:
            await t.close()
        while server.sessions:
            await asyncio.sleep(0.1)

    started = time.perf_counter()
    terminals = await open_terminals(server, keys[: args.sessions])
    startup = time.perf_counter() - started
    rss = [rss_mb(s.app.pid) for s in server.sessions if s.app is not None and s.app.pid]
    rates[args.sessions] = await upstream_rate(server, args.window)

    rng = random.Random(7)
    samples = await asyncio.gather(*(typing(t, args.keys, rng) for t in terminals))
    latencies = [s for per in samples for s in per]
    for t in terminals:
        await t.close()

    print(f"team server benchmark: {args.sessions} concurrent SSH sessions of the real app")
    print(f"  all sessions painted and quiet after    {startup:6.1f} s")
    print(
        f"  keystroke echo latency p50 / p95        {pct(latencies, 50) * 1000:6.1f} / "
        f"{pct(latencies, 95) * 1000:.1f} ms  ({len(latencies)} keys)"
    )
    print(
        f"  memory per session (app RSS) mean / max {statistics.mean(rss):6.1f} / "
        f"{max(rss):.1f} MB  (total {sum(rss):.0f} MB)"
    )
    print(f"  server process RSS                      {rss_mb(_self_pid()):6.1f} MB")
    one = rates[1]
    print(f"  upstream requests/min over {args.window:g} s of idle polling (hub vs one app each):")
    for count, rate in sorted(rates.items()):
        ratio = rate / one if one else float("nan")
        print(
            f"    {count:3d} session(s): {rate:7.1f}/min  = {ratio:4.2f}x one session; "
            f"without the hub ~{one * count:7.1f}/min"
        )


def _self_pid() -> int:
    import os

    return os.getpid()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--window", type=float, default=30.0, help="seconds per rate window")
    parser.add_argument("--keys", type=int, default=15, help="keystrokes per session")
    asyncio.run(main(parser.parse_args()))
