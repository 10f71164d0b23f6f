"""Fetch 2,000 contacts (20 pages of 100) with sendbee_tui.api and with the official
``sendbee-api`` 1.8.3 client, from two local servers, in one run, and print the ratios.

    .venv/bin/python benchmarks/bench_client.py [--contacts 2000] [--rounds 7]

Two servers, each in a child process so that no client shares a GIL with it:

* **fast** - a minimal asyncio HTTP/1.1 server that answers ``GET /contacts?page=N``
  with precomputed bytes (keep-alive, no routing, no database). It serves the very
  pages the sandbox produced, so both servers send the same JSON. With the server
  out of the way, the figure measures the *clients*: this is the headline ratio.
* **sandbox** - the project's Sendbee-compatible sandbox (Starlette on uvicorn, SQLite),
  a realistic but slow server: here much of every figure is the server's own time.

Every contestant does the same work: ``page=1..20`` with ``limit=100`` (the official
client accepts ``limit``; see ``sendbee_api/contacts/query_params.py``), every contact
parsed into a model. Rounds are interleaved (each contestant once per round), so a
burst of load from another process hits all of them alike. Contestants:

* ``official``      - sendbee-api 1.8.3 (requests; a new connection per call);
* ``iterate()``     - ours, ``async for c in sb.contacts.iterate(limit=100)``: sequential,
  like the official client, so the ratio compares like with like;
* ``list_all(4)``   - ours, ``await sb.contacts.list_all(limit=100, concurrency=4)``: page 1,
  then pages 2..last four in flight;
* ``bare httpx``    - a reference floor, not a client: the same 20 GETs with httpx (and the
  TLS context ours shares) and ``json.loads``, building no models.

Every timed run builds its client, as a script would. The TLS context is built once per
process and shared by our clients (and the bare floor), so after the warm-up it costs them
nothing; the official client builds none for http://.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 100
IN_FLIGHT = 4

_SANDBOX = """
import sys
from sendbee_tui.sandbox import SandboxServer
server = SandboxServer(contacts=int(sys.argv[1]), conversations=20, messages_per_conversation=5)
server.start()
print(server.base_url, flush=True)
sys.stdin.read()  # run until the parent closes our stdin
server.stop()
"""


# --- the fast server (runs in a child: ``bench_client.py --serve-fast PAGES.json``) ---


def _response(body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def _serve_fast(pages_file: str) -> None:
    with open(pages_file, encoding="utf-8") as f:
        pages = {int(k): _response(v.encode()) for k, v in json.load(f).items()}
    not_found = (
        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode("latin-1")
                query = parse_qs(urlsplit(target).query)
                page = int(query.get("page", ["1"])[0])
                writer.write(pages.get(page, not_found))
                await writer.drain()
                if b"\r\nconnection: close" in head.lower():
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ValueError, IndexError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=128)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    async with server:
        await stdin_closed


def start_child(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Start a server child process; return it and the base URL it prints."""
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.stdout is not None
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit(f"the server {args[:2]} did not start")
    return proc, base_url


def stop_child(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def capture_pages(base_url: str, pages: int) -> dict[str, str]:
    """The sandbox's own response bodies for pages 1..N, for the fast server to replay."""
    import httpx

    from sendbee_tui.api import SendbeeAuth
    from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

    auth = SendbeeAuth(DEFAULT_API_SECRET)
    out = {}
    with httpx.Client(base_url=base_url) as http:
        for n in range(1, pages + 1):
            headers = {"X-Api-Key": DEFAULT_API_KEY, "X-Auth-Token": auth.token()}
            response = http.get(
                "/contacts", params={"page": n, "limit": PAGE_SIZE}, headers=headers
            )
            response.raise_for_status()
            out[str(n)] = response.text
    return out


# --- the contestants ---


async def ours_iterate(base_url: str) -> int:
    from sendbee_tui.api import SendbeeClient
    from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=base_url) as sb:
        contacts = [c async for c in sb.contacts.iterate(limit=PAGE_SIZE)]
    return len(contacts)


async def ours_list_all(base_url: str) -> int:
    from sendbee_tui.api import SendbeeClient
    from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=base_url) as sb:
        contacts = await sb.contacts.list_all(limit=PAGE_SIZE, concurrency=IN_FLIGHT)
    return len(contacts)


async def bare_httpx(base_url: str, pages: int) -> int:
    import httpx

    from sendbee_tui.api import SendbeeAuth
    from sendbee_tui.api.transport import shared_ssl_context
    from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

    auth = SendbeeAuth(DEFAULT_API_SECRET)
    count = 0
    # The same TLS context ours shares, so the only difference left is the client code.
    async with httpx.AsyncClient(base_url=base_url, verify=shared_ssl_context()) as http:
        for n in range(1, pages + 1):
            headers = {"X-Api-Key": DEFAULT_API_KEY, "X-Auth-Token": auth.token()}
            response = await http.get(f"/contacts?page={n}&limit={PAGE_SIZE}", headers=headers)
            count += len(json.loads(response.content)["data"])
    return count


def official(base_url: str, pages: int) -> int:
    from sendbee_api import SendbeeApi

    from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

    # The documented way to point it elsewhere: class attributes on SendbeeApi.
    SendbeeApi.protocol = "http"
    SendbeeApi.base_url = base_url.split("://", 1)[1]
    api = SendbeeApi(DEFAULT_API_KEY, DEFAULT_API_SECRET)
    count = 0
    for page in range(1, pages + 1):
        response = api.contacts(page=page, limit=PAGE_SIZE)
        count += len(list(response))
    return count


OFFICIAL = "official sendbee-api 1.8.3"
OURS = {
    "iterate()": "sendbee_tui.api iterate()",
    "list_all(4)": f"sendbee_tui.api list_all(concurrency={IN_FLIGHT})",
}
BARE = "bare httpx + json.loads (no models)"


def contestants(base_url: str, pages: int) -> dict[str, Callable[[], int]]:
    return {
        OFFICIAL: lambda: official(base_url, pages),
        OURS["iterate()"]: lambda: asyncio.run(ours_iterate(base_url)),
        OURS["list_all(4)"]: lambda: asyncio.run(ours_list_all(base_url)),
        BARE: lambda: asyncio.run(bare_httpx(base_url, pages)),
    }


def measure(
    runs: dict[str, Callable[[], int]], rounds: int, expected: int
) -> dict[str, list[float]]:
    """Interleaved rounds after one untimed warm-up each; seconds per run."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            count = run()
            times[name].append(time.perf_counter() - started)
            if count != expected:
                raise SystemExit(f"{name} fetched {count} contacts, expected {expected}")
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    for name, values in times.items():
        print(
            f"  {name:<44} best {min(values) * 1000:7.1f} ms   "
            f"median {statistics.median(values) * 1000:7.1f} ms"
        )
    base = times[OFFICIAL]
    for label, name in OURS.items():
        by_median = statistics.median(base) / statistics.median(times[name])
        by_best = min(base) / min(times[name])
        print(f"  ratio official/ours, {label:<12} median {by_median:5.1f}x   best {by_best:5.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--serve-fast", metavar="PAGES_JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_fast:
        asyncio.run(_serve_fast(args.serve_fast))
        return 0
    pages = -(-args.contacts // PAGE_SIZE)

    sandbox, sandbox_url = start_child(["-c", _SANDBOX, str(args.contacts)])
    try:
        with tempfile.TemporaryDirectory() as tmp:
            pages_file = os.path.join(tmp, "pages.json")
            with open(pages_file, "w", encoding="utf-8") as f:
                json.dump(capture_pages(sandbox_url, pages), f)
            fast, fast_url = start_child([os.path.abspath(__file__), "--serve-fast", pages_file])
            try:
                fast_times = measure(contestants(fast_url, pages), args.rounds, args.contacts)
            finally:
                stop_child(fast)
        sandbox_times = measure(contestants(sandbox_url, pages), args.rounds, args.contacts)
    finally:
        stop_child(sandbox)

    print(
        f"{args.contacts} contacts, {pages} pages of {PAGE_SIZE}, best/median of "
        f"{args.rounds} interleaved rounds, each server in its own process"
    )
    report(f"fast server (precomputed pages, raw asyncio HTTP/1.1) at {fast_url}", fast_times)
    report(f"sandbox (Starlette + uvicorn + SQLite) at {sandbox_url}", sandbox_times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
