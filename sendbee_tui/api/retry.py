"""When to retry a request, and how long to wait.

The rule that matters most: a POST (send a message, send a template, subscribe a
contact, ...) is retried **only** when the connection failed before a byte of
the request was written, because otherwise the server may already have acted
and a customer would get the same WhatsApp message twice. In httpcore, only
these exceptions guarantee that nothing was sent:

* ``ConnectError`` / ``ConnectTimeout``: raised while opening the TCP/TLS
  connection (``connect_tcp``, ``start_tls``), before the request is written;
* ``PoolTimeout``: raised while waiting for a free pooled connection.

``ReadTimeout``, ``WriteTimeout``, ``ReadError``, ``WriteError`` and
``RemoteProtocolError`` ("server disconnected without sending a response", which
is what a stale keep-alive connection looks like) can all happen after the
server received the request.

GET, PUT and DELETE are idempotent per the API, and are retried on transport
errors and on 429/502/503/504. A caller can mark a PUT as non-idempotent (a
contact update that *appends* notes does) with ``idempotent=False``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

__all__ = [
    "NOT_SENT_ERRORS",
    "RETRYABLE_STATUSES",
    "RetryEvent",
    "RetryPolicy",
    "parse_retry_after",
]

#: Transport errors that prove the request never left this process.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
#: Transport errors worth retrying for idempotent requests.
RETRYABLE_ERRORS: tuple[type[Exception], ...] = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
)
RETRYABLE_STATUSES: frozenset[int] = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class RetryEvent:
    """Passed to ``on_retry`` before each wait, so a UI can say "retrying in N s".

    ``attempt`` is the number of the retry about to happen (1 for the first retry).
    """

    method: str
    path: str
    attempt: int
    delay_seconds: float
    reason: str


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry limits and backoff.

    Backoff is exponential (``base * 2**(attempt-1)``, capped at ``max_delay``)
    with "equal jitter": half fixed, half random, so clients that failed together
    do not retry together, yet never retry instantly. A ``Retry-After`` up to
    ``max_retry_after`` seconds is honoured exactly; a longer one is not waited
    out: the :class:`~sendbee_tui.api.errors.RateLimitError` is raised at once
    (with ``retry_after``) so the caller can decide instead of hanging.
    """

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0
    random: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (1-based), without a server hint."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + self.random() * ceiling / 2

    def may_retry_error(self, method: str, exc: Exception, *, idempotent: bool | None) -> bool:
        """Whether a transport error may be retried for this request."""
        if isinstance(exc, NOT_SENT_ERRORS):
            return True
        safe = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
        return safe and isinstance(exc, RETRYABLE_ERRORS)

    def may_retry_status(self, method: str, status: int, *, idempotent: bool | None) -> bool:
        """Whether a response status may be retried (never for a POST: it reached the server)."""
        safe = method.upper() in IDEMPOTENT_METHODS if idempotent is None else idempotent
        return safe and status in RETRYABLE_STATUSES
