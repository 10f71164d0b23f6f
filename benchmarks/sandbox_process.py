"""The sandbox in a process of its own, for the benchmarks.

Its CPU and memory are then not counted as the measured program's, and it is
started as a user would start it (``python -m sendbee_tui sandbox``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox(
    db: Path, *options: str, timeout: float = 300.0
) -> tuple[subprocess.Popen[bytes], str]:
    """``sendbee-tui sandbox --db DB OPTIONS`` on a free port; returns once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "sendbee_tui", "sandbox"),
            *("--port", str(port), "--db", str(db), *options),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)  # loopback only
            break
        except urllib.error.HTTPError:
            break  # any HTTP answer means it is listening
        except OSError:
            time.sleep(0.2)
    return proc, base
