"""What installing ``sniffio`` saves per request of the API client.

httpcore asks ``sniffio`` which async library runs it, about four times per
request (``httpcore._synchronization.current_async_library``).  Without the
package every ask is a failed import: the whole ``sys.path`` is searched again.
This script runs the same client work in child processes, alternating rounds:

* **with** ``sniffio`` importable;
* **without**: a finder hides it the way a missing package is missed (it searches
  every path entry for the name, then raises ``ModuleNotFoundError``).

It prints the cost of one lookup, and the CPU per request of ``--requests``
sequential requests against the sandbox (in its own process), median of the
rounds, with the load average.

Usage:  python benchmarks/bench_sniffio.py [--rounds 5] [--requests 400]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_inbox import start_sandbox

CHILD = r"""
import asyncio, importlib.machinery, json, sys, time

HIDE = sys.argv[1] == "without"
BASE, N = sys.argv[2], int(sys.argv[3])


class Missing:
    # Searches the path as a failed import does, then fails like one.
    def find_spec(self, name, path=None, target=None):
        if name != "sniffio":
            return None
        importlib.machinery.PathFinder.find_spec("sniffio_is_not_installed", path)
        raise ModuleNotFoundError("No module named 'sniffio'", name="sniffio")


if HIDE:
    sys.meta_path.insert(0, Missing())
    sys.modules.pop("sniffio", None)

from httpcore._synchronization import current_async_library
from sendbee_tui.api import SendbeeClient
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET


async def main():
    lookups = 2000
    t = time.perf_counter()
    for _ in range(lookups):
        current_async_library()
    lookup = (time.perf_counter() - t) / lookups
    async with SendbeeClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, base_url=BASE) as client:
        for _ in range(20):  # connection, caches
            await client.tags.list()
        cpu = time.process_time()
        for _ in range(N):
            await client.tags.list()
        per_request = (time.process_time() - cpu) / N
    print(json.dumps({"lookup": lookup, "cpu_per_request": per_request}))


asyncio.run(main())
"""


def run_child(mode: str, base: str, requests: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, base, str(requests)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    try:
        import sniffio  # noqa: F401
    except ImportError:
        raise SystemExit("sniffio is not installed: nothing to compare") from None
    with tempfile.TemporaryDirectory() as tmpdir:
        proc, base = start_sandbox(Path(tmpdir) / "bench.db", 50, 0)
        try:
            load = os.getloadavg()[0]
            results: dict[str, list[dict[str, float]]] = {"with": [], "without": []}
            for _ in range(args.rounds):
                for mode in ("with", "without"):
                    results[mode].append(run_child(mode, base, args.requests))
            load_after = os.getloadavg()[0]
        finally:
            proc.terminate()
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)

    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in results[mode])

    us = 1e6
    lookup_with, lookup_without = median("with", "lookup"), median("without", "lookup")
    cpu_with, cpu_without = median("with", "cpu_per_request"), median("without", "cpu_per_request")
    print(
        f"one lookup:  with sniffio {lookup_with * us:6.1f} us, "
        f"without {lookup_without * us:6.1f} us"
    )
    print(
        f"CPU per request ({args.requests} sequential, median of {args.rounds}): with "
        f"{cpu_with * us:6.0f} us, without {cpu_without * us:6.0f} us: saves "
        f"{(cpu_without - cpu_with) * us:.0f} us ({(1 - cpu_with / cpu_without) * 100:.1f} %)"
    )
    print(f"load average {load:.1f} before, {load_after:.1f} after, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
