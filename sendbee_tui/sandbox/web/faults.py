"""Fault injection state: latency, injected errors, the rate limit, and send faults.

Send faults exist for exactly-once testing of a client's outbox: the send is
committed (the message row exists, webhooks fire) and then the client gets no
answer at all. ``drop`` closes the TCP connection without a byte of response;
``hang`` holds the response until the client gives up (or the server stops).
Which sends are hit: the next ``send_fault_next`` ones, then each with
probability ``send_fault_rate``.
"""

from __future__ import annotations

import collections
import math
import random
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

SEND_FAULT_MODES = ("drop", "hang")


@dataclass
class Faults:
    """Runtime-adjustable fault injection (``POST /_sandbox/faults``)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_per_minute: int | None = None
    #: Status of injected errors: 500 by default; 502/503/504 exercise a client's retries.
    error_status: int = 500
    #: ``"drop"``, ``"hang"`` or None: what happens to a committed send that is hit.
    send_fault: str | None = None
    send_fault_rate: float = 0.0
    #: The next this-many committed sends are hit whatever the rate (counts down).
    send_fault_next: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def take_send_fault(self, rng: random.Random) -> str | None:
        """For a committed send: the fault to apply to its response, or None."""
        if self.send_fault is None:
            return None
        if self.send_fault_next > 0:
            self.send_fault_next -= 1
            return self.send_fault
        if self.send_fault_rate > 0 and rng.random() < self.send_fault_rate:
            return self.send_fault
        return None


class RateLimiter:
    """A sliding one-minute window over request times, per business (one per sandbox)."""

    def __init__(self) -> None:
        self._hits: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def check(self, limit: int | None) -> int | None:
        """Record a request; return seconds to wait when over ``limit``, else None."""
        now = time.monotonic()
        with self._lock:
            while self._hits and self._hits[0] <= now - 60:
                self._hits.popleft()
            if limit is not None and len(self._hits) >= limit:
                return max(1, math.ceil(self._hits[0] + 60 - now))
            self._hits.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()
