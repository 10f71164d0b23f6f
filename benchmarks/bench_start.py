"""Start-up and idle of the real process in a terminal: ``sendbee-tui`` in a pty.

Runs the sandbox (10,000 conversations) in its own process, then, alternating
each round so a burst of load from elsewhere hits both alike:

* a Textual hello world (an App with one ``Static``) until "hello world" is on
  the terminal;
* ``python -m sendbee_tui --api-key ... --base-url ...`` until the first rows are
  on the terminal (the Open tab's total, which the first page of rows brings);

both in a pty of 160x48, timed from the spawn to the first byte of the marker.
Both use compiled bytecode, as an installed copy does (pip compiles it): the
children get ``PYTHONPYCACHEPREFIX`` in a temporary directory (never the
checkout) without ``PYTHONDONTWRITEBYTECODE``, and one untimed warm-up round
fills it.  Compiling ~130 modules of this package from source on every start
would add ~100 ms that no installed copy pays.
Then one inbox is left alone for ``--idle`` seconds (after ``--settle`` seconds
for its start-up work, such as the previews of the rows on screen): CPU% of its
process, bytes written to the terminal and the API requests it made (from its
DEBUG log), against what the poll intervals call for.

Usage:  python benchmarks/bench_start.py [--rounds 5] [--idle 30] [--settle 8]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from bench_inbox import folder_sizes, start_sandbox

from sendbee_tui.config import Settings
from sendbee_tui.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

TARGET_RATIO = 2.5
TARGET_IDLE_CPU = 0.01
SIZE = (160, 48)

HELLO = """
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello world")

Hello().run()
"""

_ESCAPES = re.compile(
    rb"\x1b(\[[0-9;:?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)


class Terminal:
    """A child process on a pty of :data:`SIZE`; reads everything it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        cols, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()

    def read(self, timeout: float) -> int:
        """Read what arrives within ``timeout`` seconds; returns the byte count."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return 0
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:
            return 0
        self.output += data
        return len(data)

    def wait_for(self, marker: str, timeout: float = 60.0) -> float:
        """Seconds from the spawn until ``marker`` is in the (escape-stripped) output."""
        deadline = time.perf_counter() + timeout
        needle = marker.encode()
        while time.perf_counter() < deadline:
            if self.read(0.05) and needle in _ESCAPES.sub(b"", bytes(self.output)):
                return time.perf_counter() - self.started
            if self.proc.poll() is not None:
                break
        raise SystemExit(f"{marker!r} never appeared; output: {bytes(self.output[-400:])!r}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the child so far (Linux /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        os.close(self.master)


def environment(home: Path, pycache: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SENDBEE_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]))
    env["SENDBEE_TUI_HOME"] = str(home)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def inbox_argv(base_url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sendbee_tui",
        "--api-key",
        DEFAULT_API_KEY,
        "--api-secret",
        DEFAULT_API_SECRET,
        "--base-url",
        base_url,
        "--log-level",
        "DEBUG",
    ]


def requests_in(log: Path, start: int) -> list[str]:
    """API calls logged after byte ``start`` of ``log``: "GET /conversations" etc."""
    with open(log, "rb") as handle:
        handle.seek(start)
        text = handle.read().decode(errors="replace")
    return re.findall(r"sendbee_tui\.api\S*: (\w+ \S+) -> ", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--idle", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=8.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        proc, base = start_sandbox(tmp / "bench.db", args.conversations, 0)
        try:
            open_total = folder_sizes(tmp / "bench.db")["open"]
            marker = f"Open {open_total}"
            load = os.getloadavg()[0]
            print(f"sandbox ready: {open_total} conversations in Open; first rows = {marker!r}")
            print(f"load average {load:.1f} on {os.cpu_count()} CPUs")
            pycache = tmp / "pycache"
            hello_times, inbox_times = [], []
            for n in range(args.rounds + 1):  # round 0 compiles the bytecode: not timed
                term = Terminal([sys.executable, "-c", HELLO], environment(tmp / f"h{n}", pycache))
                try:
                    hello_times.append(term.wait_for("hello world"))
                finally:
                    term.close()
                term = Terminal(inbox_argv(base), environment(tmp / f"i{n}", pycache))
                try:
                    inbox_times.append(term.wait_for(marker))
                finally:
                    term.close()
            hello_times, inbox_times = hello_times[1:], inbox_times[1:]
            idle = measure_idle(base, marker, tmp / "idle", pycache, args.idle, args.settle)
            load_after = os.getloadavg()[0]
        finally:
            proc.terminate()
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)
    hello, inbox = statistics.median(hello_times), statistics.median(inbox_times)
    ms = 1000.0
    print()
    print(f"Textual hello world, spawn to text     {hello * ms:6.0f} ms  (median of {args.rounds})")
    print(
        f"sendbee-tui, spawn to first rows       {inbox * ms:6.0f} ms  = {inbox / hello:.2f}x "
        f"hello world (target <= {TARGET_RATIO}x: {inbox / hello / TARGET_RATIO:.2f}x of target)"
    )
    print(
        f"  all rounds: hello {[round(t * ms) for t in hello_times]}, inbox "
        f"{[round(t * ms) for t in inbox_times]}"
    )
    seconds, cpu, written, calls, expected = idle
    print(
        f"idle {seconds:.0f} s: CPU {cpu / seconds * 100:5.2f} %  (target < "
        f"{TARGET_IDLE_CPU * 100:.0f} %: {cpu / seconds / TARGET_IDLE_CPU:.2f}x of target)"
    )
    print(f"  terminal output {written} bytes = {written / seconds:.0f} B/s")
    counts = {c: calls.count(c) for c in sorted(set(calls))}
    print(f"  requests {len(calls)} (the polls call for ~{expected}): {counts}")
    print(f"load average {load:.1f} before, {load_after:.1f} after")
    return 0


def measure_idle(
    base: str, marker: str, home: Path, pycache: Path, seconds: float, settle: float
) -> tuple[float, float, int, list[str], int]:
    """(seconds, CPU seconds, bytes written, requests made, requests the polls call for)."""
    term = Terminal(inbox_argv(base), environment(home, pycache))
    try:
        term.wait_for(marker)
        deadline = time.perf_counter() + settle
        while time.perf_counter() < deadline:
            term.read(deadline - time.perf_counter())
        log = home / "data" / "logs" / "sendbee-tui.log"
        log_start = log.stat().st_size
        cpu, written = term.cpu_seconds(), 0
        start = time.perf_counter()
        end = start + seconds
        while (now := time.perf_counter()) < end:
            written += term.read(end - now)
        elapsed = time.perf_counter() - start
        cpu = term.cpu_seconds() - cpu
        calls = requests_in(log, log_start)
    finally:
        term.close()
    settings = Settings()
    polls = seconds / settings.poll_list_seconds
    # Page 1 of the view each poll, and every sixth poll the other three folders' totals.
    expected = round(polls + 3 * polls / 6)
    return elapsed, cpu, written, calls, expected


if __name__ == "__main__":
    raise SystemExit(main())
