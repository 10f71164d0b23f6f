"""A send campaign through the persistent outbox under injected faults, and what it costs.

    .venv/bin/python benchmarks/bench_outbox.py [--sends 2000] [--conversations 20]
        [--fault-rate 0.3] [--hang-timeout 0.3] [--seed 7] [--no-fsync]

The sandbox runs in a child process (no shared GIL).  Three runs in one go:

1. **bare** — ``client.messages.send`` in a loop, no outbox, no faults: the baseline;
2. **outbox, no faults** — the same number of sends through the outbox (journal
   writes with fsync, the lease, the loop): the price of the guarantee;
3. **campaign** — the outbox with about ``--fault-rate`` of the sends broken the
   ways networks break them: the sandbox's own send faults (``POST
   /_sandbox/faults``) store the message and then drop the connection
   (``drop``) or never answer (``hang``, the client gives up after
   ``--hang-timeout``), and the wrapper of ``tests/outbox/outbox_support.py``
   adds what a server cannot give for sends alone: a 500 after storing, a 5xx
   with nothing stored, refused connections, 429.

Afterwards every conversation is read back through the API and each intended
reply counted: delivered once, duplicated, lost (sent but not on the server),
unconfirmed or failed (visible to the agent with its text).  The promise holds
when duplicates and lost are both 0.  Checks use short intervals (the sandbox
answers in milliseconds), so the campaign's time is not the production timing.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "outbox"))

from outbox_support import (  # noqa: E402
    ACTED,
    FaultTransport,
    RandomFaults,
    fast_outbox,
    make_client,
    outbound_bodies,
)

from sendbee_tui.api import SendbeeClient  # noqa: E402
from sendbee_tui.outbox import State  # noqa: E402
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET  # noqa: E402
from sendbee_tui.store import LocalStore  # noqa: E402

_SERVER = """
from sendbee_tui.sandbox import SandboxServer
server = SandboxServer(contacts=10, conversations=10, messages_per_conversation=2)
server.start()
print(server.base_url, flush=True)
import sys
sys.stdin.read()
server.stop()
"""

#: The wrapper's faults (a share of ``--fault-rate``), for what the sandbox cannot give.
WRAPPER_WEIGHTS = {"500_after": 1.0, "503": 1.5, "connect": 1.5, "429": 1.0}
WRAPPER_SHARE = 0.4
#: The sandbox's own faults split the rest of ``--fault-rate`` (hangs cost the timeout).
DROP_SHARE = 0.5
HANG_SHARE = 0.1
KINDS = ("drop", "hang", *WRAPPER_WEIGHTS)


class Server:
    """Just what the helpers need: URL and credentials."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.api_key = DEFAULT_API_KEY
        self.api_secret = DEFAULT_API_SECRET


def start_server() -> tuple[subprocess.Popen[str], Server]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit("the sandbox did not start")
    return proc, Server(base_url)


async def open_conversations(client: SendbeeClient, count: int, tag: str) -> list[tuple[str, str]]:
    """Customers write in (``POST /_sandbox/inbound``), opening their 24-hour windows."""
    out = []
    for n in range(count):
        phone = f"+38598{tag}{n:05d}"
        result = await client.transport.request(
            "POST", "/_sandbox/inbound", json={"phone": phone, "text": "hi", "name": f"C{n}"}
        )
        out.append((phone, str(result.data["conversation_id"])))
    return out


async def bare(server: Server, sends: int, conversations: int) -> float:
    async with make_client(server) as client:
        targets = await open_conversations(client, conversations, "1")
        started = time.perf_counter()
        for n in range(sends):
            await client.messages.send(targets[n % conversations][0], text=f"bare {n}")
        return (time.perf_counter() - started) / sends


async def set_send_faults(client: SendbeeClient, mode: str | None, rate: float) -> None:
    """The sandbox's own send faults (``POST /_sandbox/faults``); ``None`` turns them off."""
    body: dict[str, object] = {"send_fault": mode}
    if mode is not None:
        body["send_fault_rate"] = rate
    await client.transport.request("POST", "/_sandbox/faults", json=body)


async def through_outbox(
    server: Server,
    sends: int,
    conversations: int,
    tag: str,
    fault_rate: float,
    seed: int,
    fsync: bool,
    hang_timeout: float,
) -> dict[str, object]:
    plan = RandomFaults(seed, fault_rate * WRAPPER_SHARE, WRAPPER_WEIGHTS) if fault_rate else None
    transport = FaultTransport(plan)
    with tempfile.TemporaryDirectory() as data_dir:
        store = LocalStore(data_dir, fsync=fsync)
        async with (
            make_client(server, transport, timeout=hang_timeout) as client,
            make_client(server) as reader,
        ):
            targets = await open_conversations(reader, conversations, tag)
            outbox = fast_outbox(client, store, "bench")
            intended: list[tuple[str, str, str]] = []
            started = time.perf_counter()
            if fault_rate:
                # First half: stored then dropped; second half: stored, never answered.
                await set_send_faults(reader, "drop", fault_rate * DROP_SHARE)
            try:
                async with outbox:
                    for n in range(sends):
                        phone, conversation_id = targets[n % conversations]
                        text = "ok" if n % 17 == 0 else f"reply {n}"
                        entry = outbox.enqueue_text(phone, text, conversation_id=conversation_id)
                        intended.append((entry.id, conversation_id, text))
                    if fault_rate:
                        while sum(not e.active for e in outbox.journal) < sends // 2:
                            await asyncio.sleep(0.01)
                        await set_send_faults(reader, "hang", fault_rate * HANG_SHARE * 2)
                    await outbox.wait_idle()
            finally:
                await set_send_faults(reader, None, 0.0)
            per_send = (time.perf_counter() - started) / sends
            on_server: Counter[tuple[str, str]] = Counter()
            for _, conversation_id in targets:
                for body in await outbound_bodies(reader, conversation_id):
                    on_server[(conversation_id, body)] += 1
        sent: Counter[tuple[str, str]] = Counter()
        states: Counter[State] = Counter()
        for entry_id, conversation_id, text in intended:
            final = outbox.get(entry_id)
            assert final is not None
            states[final.state] += 1
            if final.state is State.SENT:
                sent[(conversation_id, text)] += 1
        store.close()
        await transport.aclose()
    duplicates = sum(max(0, n - sent[k]) for k, n in on_server.items())
    lost = sum(max(0, n - on_server[k]) for k, n in sent.items())
    return {
        "per_send": per_send,
        "requests": transport.sends,
        "faults": dict(transport.faults),
        "states": states,
        "duplicates": duplicates,
        "lost": lost,
        "delivered_once": states[State.SENT] - lost,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=2000)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    parser.add_argument(
        "--hang-timeout", type=float, default=0.3, help="client timeout for held sends (s)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-fsync", action="store_true", help="synchronous=NORMAL journal")
    args = parser.parse_args(argv)
    fsync = not args.no_fsync

    proc, server = start_server()
    try:
        baseline = asyncio.run(bare(server, args.sends, args.conversations))
        clean = asyncio.run(
            through_outbox(server, args.sends, args.conversations, "2", 0.0, args.seed, fsync, 10.0)
        )
        campaign = asyncio.run(
            through_outbox(
                server,
                args.sends,
                args.conversations,
                "3",
                args.fault_rate,
                args.seed,
                fsync,
                args.hang_timeout,
            )
        )
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)

    faults: dict[str, int] = campaign["faults"]  # type: ignore[assignment]
    states: Counter[State] = campaign["states"]  # type: ignore[assignment]
    ambiguous = sum(n for k, n in faults.items() if k in ACTED or k == "503")
    requests: int = campaign["requests"]  # type: ignore[assignment]
    print(
        f"{args.sends} replies to {args.conversations} conversations, sandbox in a separate"
        f" process at {server.base_url}, journal fsync {'on' if fsync else 'off'}"
    )
    print(f"  bare client.send            {baseline * 1000:7.2f} ms per send")
    clean_per = float(clean["per_send"])  # type: ignore[arg-type]
    print(
        f"  outbox, no faults           {clean_per * 1000:7.2f} ms per send"
        f"   ({clean_per / baseline:4.2f}x bare)"
    )
    camp_per = float(campaign["per_send"])  # type: ignore[arg-type]
    print(
        f"  outbox, campaign            {camp_per * 1000:7.2f} ms per send"
        f"   ({camp_per / baseline:4.2f}x bare; includes checks and backoff)"
    )
    print(
        f"campaign: {requests} send requests, {sum(faults.values())} faulted"
        f" ({ambiguous} ambiguous = {ambiguous / requests:.0%} of requests)"
    )
    for kind in KINDS:
        where = "sandbox" if kind in ("drop", "hang") else "wrapper"
        print(f"  {kind:<12} {faults.get(kind, 0):6d}   ({where})")
    print(f"  delivered once   {campaign['delivered_once']}")
    print(f"  duplicates       {campaign['duplicates']}")
    print(f"  lost             {campaign['lost']}")
    print(f"  unconfirmed      {states[State.UNCONFIRMED]}  (shown with their text)")
    print(f"  failed           {states[State.FAILED]}")
    clean_ok = clean["duplicates"] == 0 and clean["lost"] == 0
    ok = clean_ok and campaign["duplicates"] == 0 and campaign["lost"] == 0
    print("promise kept" if ok else "PROMISE BROKEN")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
