"""Sandbox throughput and timings, with baselines measured in the same run.

    .venv/bin/python benchmarks/bench_sandbox.py [--seconds 2] [--limits 10,50]

Throughput: list requests per second (contacts, conversations, messages) from one
client and from 20 concurrent clients, each on its own keep-alive connection,
against the sandbox in a child process pinned to one CPU (the server is one
event loop: one core is all it uses). The baseline is a trivial Starlette
endpoint on the same uvicorn, started the same way, so ``ratio`` says what the
sandbox's own work costs on this machine right now; any error fails the run.
The client is a minimal raw HTTP/1.1 client so that it, not the server, is never
the bottleneck (httpx alone tops out near the rates measured here).

Timings that used to be asserted in tests (a timed test is flaky on a shared
machine): demo data generation, a benchmark-size data set, injected latency,
a stalled webhook receiver not delaying the API, and ``stop()`` with a held
request (send fault ``hang``) against ``stop()`` of an idle server.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET, SandboxServer
from sendbee_tui.sandbox.demo import DemoSize
from sendbee_tui.sandbox.store import Store

CONCURRENT = 20

_PIN = """
import os
if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) > 1:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
"""

_SANDBOX = (
    _PIN
    + """
import sys
from sendbee_tui.sandbox import SandboxServer
server = SandboxServer(sys.argv[1], contacts=200, conversations=200, messages_per_conversation=60,
                       big_thread_messages=500)
server.start()
with server.sandbox.store.read() as conn:  # the big thread, for the messages list
    thread = conn.execute("SELECT conversation_id FROM messages GROUP BY conversation_id"
                          " ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
print(server.port, thread, flush=True)
sys.stdin.read()  # run until the parent closes our stdin
server.stop()
"""
)

_BASELINE = (
    _PIN
    + """
import socket, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def hello(request):
    return JSONResponse({"data": {"ok": True}})

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(sock.getsockname()[1], flush=True)
config = uvicorn.Config(Starlette(routes=[Route("/hello", hello)]), log_level="warning",
                        access_log=False, lifespan="off")
uvicorn.Server(config).run(sockets=[sock])
"""
)


def token(secret: str) -> str:
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), stamp.encode(), hashlib.sha256).hexdigest()
    return base64.b64encode(f"{stamp}.{signature}".encode()).decode()


def start(code: str, *args: str) -> tuple[subprocess.Popen[str], int, list[str]]:
    """Run ``code`` in a child; it prints its port (and more words) on its first line."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    words = proc.stdout.readline().split()
    if not words or not words[0].isdigit():
        proc.kill()
        raise SystemExit("a server did not start")
    return proc, int(words[0]), words[1:]


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far; None where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request_bytes(path: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: {DEFAULT_API_KEY}\r\n"
        f"X-Auth-Token: {token(DEFAULT_API_SECRET)}\r\n\r\n"
    ).encode()


async def exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    """One request on a keep-alive connection: (status, body)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return int(head[9:12]), await reader.readexactly(length)


async def load(
    port: int, path: str, clients: int, seconds: float, pid: int
) -> tuple[float, float | None, int]:
    """With ``clients`` connections busy for ``seconds``: (requests per second, requests
    per CPU-second of the server process ``pid``, errors).

    The second figure is what one core would serve if the server had it to itself;
    it does not depend on how busy the rest of the machine is.
    """
    request = request_bytes(path)
    done = errors = 0

    async def worker(until: float) -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < until:
                status, _ = await exchange(reader, writer, request)
                done += 1
                errors += status != 200
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker(time.perf_counter() + 0.3) for _ in range(clients)))  # warm up
    done = errors = 0
    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    await asyncio.gather(*(worker(started + seconds) for _ in range(clients)))
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(pid)
    per_cpu = None
    if cpu_before is not None and cpu_after is not None and cpu_after > cpu_before:
        per_cpu = done / (cpu_after - cpu_before)
    return done / elapsed, per_cpu, errors


async def fetch_json(port: int, path: str) -> dict[str, object]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        status, body = await exchange(reader, writer, request_bytes(path))
    finally:
        writer.close()
    assert status == 200, body[:200]
    result: dict[str, object] = json.loads(body)
    return result


def throughput(seconds: float, limits: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sandbox, port, (conv_id,) = start(_SANDBOX, str(Path(tmp) / "bench.db"))
        baseline, base_port, _ = start(_BASELINE)
        try:
            print(f"Throughput ({seconds:g} s per figure; servers pinned to one CPU;")
            print(" 'per CPU-s': requests per CPU-second of the server process, i.e. on one core)")
            print(
                f"{'endpoint':<40}{'clients':>8}{'req/s':>8}{'per CPU-s':>10}"
                f"{'baseline':>10}{'ratio':>7}"
            )
            failures = 0
            rows = [("/hello", "trivial Starlette JSON endpoint", base_port, baseline.pid)]
            for limit in limits:
                for path in (
                    f"/contacts?limit={limit}",
                    f"/conversations?limit={limit}",
                    f"/conversations/messages?conversation_id={conv_id}&limit={limit}",
                ):
                    page = asyncio.run(fetch_json(port, path))
                    assert len(page["data"]) == limit, path  # type: ignore[arg-type]
                    label = path.split("?")[0] + f" (limit {limit})"
                    rows.append((path, label, port, sandbox.pid))
            for path, label, row_port, pid in rows:
                for n in (1, CONCURRENT):
                    # The baseline again, right before: the machine's load changes over a run.
                    base_rate, base_cpu, _ = asyncio.run(
                        load(base_port, "/hello", n, seconds, baseline.pid)
                    )
                    rate, per_cpu, errors = asyncio.run(load(row_port, path, n, seconds, pid))
                    failures += errors
                    cpu = f"{per_cpu:.0f}" if per_cpu else "-"
                    if row_port == base_port:
                        print(f"{label:<40}{n:>8}{rate:>8.0f}{cpu:>10}")
                        continue
                    ratio = per_cpu / base_cpu if per_cpu and base_cpu else rate / base_rate
                    note = f"  {errors} ERRORS" if errors else ""
                    base = f"{base_cpu:.0f}" if base_cpu else f"{base_rate:.0f}"
                    print(f"{label:<40}{n:>8}{rate:>8.0f}{cpu:>10}{base:>10}{ratio:>7.2f}{note}")
            if failures:
                raise SystemExit(f"{failures} failed requests")
        finally:
            stop(sandbox)
            baseline.kill()
            baseline.wait()


def timed(label: str, seconds: float, target: str) -> None:
    print(f"{label:<60}{seconds * 1000:>9.0f} ms   (target {target})")


def timings() -> None:
    print("\nTimings")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "demo.db"), time.time)
        started = time.perf_counter()
        store.seed(seed=7, size=DemoSize())
        timed("demo data (60 conversations, ~3,000 messages)", time.perf_counter() - started,
              "< 1,000 ms")  # fmt: skip
        store.close()
        store = Store(str(Path(tmp) / "big.db"), time.time)
        started = time.perf_counter()
        store.seed(seed=1, size=DemoSize(10, 2000, 2, 5000))
        timed("2,000 conversations + a 5,000-message thread", time.perf_counter() - started,
              "< 5,000 ms")  # fmt: skip
        store.close()

    with SandboxServer(contacts=4, conversations=4, messages_per_conversation=2) as server:
        http = httpx.Client(base_url=server.base_url, trust_env=False, timeout=30)

        def hdrs() -> dict[str, str]:
            return {"X-Api-Key": server.api_key, "X-Auth-Token": token(server.api_secret)}

        http.get("/contacts", headers=hdrs())
        server.set_faults(latency_ms=150)
        started = time.perf_counter()
        http.get("/contacts", headers=hdrs())
        timed("GET /contacts with latency_ms=150", time.perf_counter() - started, ">= 150 ms")
        server.set_faults(latency_ms=0)

        release = threading.Event()

        class Stalled(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                release.wait(10)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        receiver = ThreadingHTTPServer(("127.0.0.1", 0), Stalled)
        threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True).start()
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        http.post("/webhooks/subscribe", json={"url": url, "event": "message.received"},
                  headers=hdrs())  # fmt: skip
        started = time.perf_counter()
        http.post("/_sandbox/inbound", json={"phone": "+385917771111", "text": "x"},
                  headers=hdrs())  # fmt: skip
        http.get("/conversations", headers=hdrs())
        timed("inbound + list while the webhook receiver stalls", time.perf_counter() - started,
              "< 500 ms")  # fmt: skip
        release.set()
        server.wait_for_webhooks()
        receiver.shutdown()
        receiver.server_close()
        http.close()

    idle = SandboxServer(contacts=2, conversations=2).start()
    started = time.perf_counter()
    idle.stop()
    idle_stop = time.perf_counter() - started
    held = SandboxServer(contacts=2, conversations=2, send_fault="hang", send_fault_rate=1.0)
    held.start()
    held.inbound("+385917772222", "hi")

    def send() -> None:
        try:
            httpx.post(held.base_url + "/conversations/messages/send",
                       json={"phone": "+385917772222", "text": "held"},
                       headers={"X-Api-Key": held.api_key,
                                "X-Auth-Token": token(held.api_secret)},
                       timeout=120, trust_env=False)  # fmt: skip
        except httpx.HTTPError:
            pass

    thread = threading.Thread(target=send)
    thread.start()

    def committed() -> bool:
        with held.sandbox.store.read() as conn:
            return conn.execute("SELECT 1 FROM messages WHERE body = 'held'").fetchone() is not None

    while not committed():
        time.sleep(0.01)
    time.sleep(0.05)  # let the response be held, not just committed
    started = time.perf_counter()
    held.stop()
    held_stop = time.perf_counter() - started
    thread.join(30)
    timed("stop() of an idle server (baseline)", idle_stop, "-")
    print(f"{'stop() with a held request (send fault hang)':<60}{held_stop * 1000:>9.0f} ms"
          f"   (ratio {held_stop / idle_stop:.2f}; uvicorn alone would wait 2,000 ms)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per throughput figure")
    parser.add_argument("--limits", default="10,50", help="page sizes to measure")
    parser.add_argument("--skip-timings", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    throughput(args.seconds, [int(x) for x in args.limits.split(",")])
    if not args.skip_timings:
        timings()


if __name__ == "__main__":
    main()
