"""Fetch 2,000 contacts (20 pages of 100) with sendbee_tui.api and with the official
``sendbee-api`` 1.8.3 client from the same local server, in one run, and print the ratio.

    .venv/bin/python benchmarks/bench_client.py [--contacts 2000] [--rounds 5]

The server is the project's sandbox (``SandboxServer(contacts=N)``), run in a child
process so that neither client shares a GIL with it. Both clients do the same work:
``page=1..20`` with ``limit=100`` (the official client accepts ``limit``; see
``sendbee_api/contacts/query_params.py``), every contact parsed into a model.

Three figures for our client:
* ``iterate()``  - the plain sequential ``async for c in sb.contacts.iterate()``;
* ``concurrent`` - page 1, then pages 2..last with 4 requests in flight, which is
  what an async client makes possible (and what wins most against a remote server);
the headline ratio is the *sequential* median, which compares like with like.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from sendbee_api import SendbeeApi

from sendbee_tui.api import Contact, SendbeeClient
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

PAGE_SIZE = 100

_SERVER = """
import sys
from sendbee_tui.sandbox import SandboxServer
server = SandboxServer(contacts=int(sys.argv[1]), conversations=20, messages_per_conversation=5)
server.start()
print(server.base_url, flush=True)
sys.stdin.read()  # run until the parent closes our stdin
server.stop()
"""


def start_server(contacts: int) -> tuple[subprocess.Popen[str], str]:
    """Start the sandbox in a child process; return it and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(contacts)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit("the sandbox did not start")
    return proc, base_url


async def ours_sequential(base_url: str, pages: int) -> int:
    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=base_url) as sb:
        contacts = [c async for c in sb.contacts.iterate(limit=PAGE_SIZE)]
    return len(contacts)


async def ours_concurrent(base_url: str, pages: int, in_flight: int = 4) -> int:
    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=base_url) as sb:
        first = await sb.contacts.list(page=1, limit=PAGE_SIZE)
        gate = asyncio.Semaphore(in_flight)

        async def fetch(n: int) -> list[Contact]:
            async with gate:
                return (await sb.contacts.list(page=n, limit=PAGE_SIZE)).items

        rest = await asyncio.gather(*(fetch(n) for n in range(2, first.meta.last_page + 1)))
    return len(first.items) + sum(len(items) for items in rest)


def official(base_url: str, pages: int) -> int:
    # The documented way to point it elsewhere: class attributes on SendbeeApi.
    SendbeeApi.protocol = "http"
    SendbeeApi.base_url = base_url.split("://", 1)[1]
    api = SendbeeApi(DEFAULT_API_KEY, DEFAULT_API_SECRET)
    count = 0
    for page in range(1, pages + 1):
        response = api.contacts(page=page, limit=PAGE_SIZE)
        count += len(list(response))
    return count


def timed(run: Callable[[], int], rounds: int, expected: int) -> list[float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - started)
        if count != expected:
            raise SystemExit(f"fetched {count} contacts, expected {expected}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    pages = -(-args.contacts // PAGE_SIZE)

    proc, base_url = start_server(args.contacts)
    try:
        # One untimed warm-up each (imports, SQLite page cache, first connections).
        official(base_url, pages)
        asyncio.run(ours_sequential(base_url, pages))
        results = {
            "official sendbee-api 1.8.3": timed(
                lambda: official(base_url, pages), args.rounds, args.contacts),
            "sendbee_tui.api iterate()": timed(
                lambda: asyncio.run(ours_sequential(base_url, pages)), args.rounds,
                args.contacts),
            "sendbee_tui.api concurrent (4 in flight)": timed(
                lambda: asyncio.run(ours_concurrent(base_url, pages)), args.rounds,
                args.contacts),
        }
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)

    print(f"{args.contacts} contacts, {pages} pages of {PAGE_SIZE}, best/median of "
          f"{args.rounds} rounds, sandbox in a separate process at {base_url}")
    for name, times in results.items():
        print(f"  {name:<42} best {min(times) * 1000:7.1f} ms   "
              f"median {statistics.median(times) * 1000:7.1f} ms")
    official_times = results["official sendbee-api 1.8.3"]
    for label, name in (("sequential iterate()", "sendbee_tui.api iterate()"),
                        ("concurrent pages", "sendbee_tui.api concurrent (4 in flight)")):
        by_median = statistics.median(official_times) / statistics.median(results[name])
        by_best = min(official_times) / min(results[name])
        print(f"ratio official/ours, {label:<21} median {by_median:4.1f}x   best {by_best:4.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
