"""Connection state of the inbox: online, retrying, offline; backoff; noticing gaps.

Every request of the polling loops goes through :meth:`Connection.guarded`, so
one object knows whether Sendbee answers and tells the status line.  A *gap*
is a stretch in which the inbox did not see the server: an outage, or the
machine sleeping between two polls.  When a gap begins the connection calls
:attr:`Connection.on_gap` so the conversation list can remember what it showed;
the first list poll afterwards summarises what changed (see
:meth:`~sendbee_tui.tui.inbox.list_sync.ListSync.poll`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual.message import Message

from sendbee_tui.api import RetryEvent
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.errors import describe_error, is_connection_problem
from sendbee_tui.tui.safe_text import clean

__all__ = ["MAX_BACKOFF", "Clock", "Connection", "Post", "sleep_or_wake"]

T = TypeVar("T")

#: Delivers a :mod:`~sendbee_tui.tui.messages` record to the screen.
Post = Callable[[Message], object]
#: Current Unix time (tests pass a fake one).
Clock = Callable[[], float]

#: Longest wait between polls while the server is unreachable.
MAX_BACKOFF = 60.0
#: Shown instead of the server's words when the credentials are refused.
REJECTED_DETAIL = "API key/secret rejected (S: set up)"


def _nothing() -> None:
    """Default for the hooks: nobody listens."""


async def sleep_or_wake(seconds: float, event: asyncio.Event) -> None:
    """Sleep ``seconds`` (at least 50 ms) or until ``event`` is set; then clear it."""
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(event.wait(), timeout=max(0.05, seconds))
    event.clear()


class Connection:
    """Whether Sendbee answers, how long to wait before the next poll, and gaps.

    ``state`` is one of ``connecting``, ``online``, ``retrying``, ``offline``
    (the values :class:`~sendbee_tui.tui.messages.ConnectionChanged` carries).
    """

    def __init__(self, *, settings: Settings, post: Post, clock: Clock) -> None:
        self.settings = settings
        self.post = post
        self.clock = clock
        self.state = "connecting"
        #: When the last request succeeded.
        self.last_sync: float | None = None
        #: Connection failures in a row (0 while online): drives the backoff.
        self.failures = 0
        #: Why the inbox is offline, for the status line.
        self.detail = ""
        #: Start of the gap not summarised yet (None: no gap open).
        self.gap_since: float | None = None
        #: Called when a gap begins (the list remembers what it showed).
        self.on_gap: Callable[[], None] = _nothing
        #: Called when the server answers again after failures.
        self.on_online: Callable[[], None] = _nothing

    @property
    def healthy(self) -> bool:
        """No failure since the last success: the optional polls may run."""
        return self.failures == 0

    async def guarded(self, request: Awaitable[T]) -> T | None:
        """Await an API call, keeping the state; None on connection trouble.

        Other errors (a 404, a validation error) propagate: they say nothing
        about the connection.
        """
        try:
            result = await request
        except Exception as exc:
            if is_connection_problem(exc):
                self.went_offline(exc)
                return None
            raise
        self.came_online()
        return result

    def on_retry(self, event: RetryEvent) -> None:
        """SendbeeClient ``on_retry`` hook: show "retrying in N s"."""
        self.state = "retrying"
        self.post(
            msg.ConnectionChanged(
                "retrying",
                retry_in=float(event.delay_seconds),
                last_sync=self.last_sync,
                detail=clean(event.reason),
            )
        )

    def went_offline(self, exc: BaseException) -> None:
        """A request failed for connection reasons (or the credentials were refused)."""
        self.failures += 1
        self.detail = describe_error(exc)
        if self.state != "offline":
            self.gap_since = self.clock()
            self.on_gap()
        self.state = "offline"

    def credentials_rejected(self, exc: BaseException) -> None:
        """Wrong key/secret: offline, with a detail that says what will help."""
        self.went_offline(exc)
        self.detail = REJECTED_DETAIL

    def came_online(self) -> None:
        """A request succeeded: online, and a long silence counts as a gap too."""
        now = self.clock()
        silence = now - self.last_sync if self.last_sync is not None else 0.0
        if (
            self.gap_since is None
            and self.last_sync is not None
            and silence > max(120.0, 6 * self.settings.poll_list_seconds)
        ):
            # The machine slept or the session was suspended: summarise like a reconnect.
            self.gap_since = self.last_sync
            self.on_gap()
        changed = self.state != "online"
        self.failures = 0
        self.state = "online"
        self.last_sync = now
        self.post(msg.ConnectionChanged("online", last_sync=now))
        if changed:
            self.on_online()

    def end_gap(self) -> float:
        """Close the open gap and return how long it lasted (0 when none was open)."""
        since = self.gap_since
        self.gap_since = None
        return self.clock() - since if since is not None else 0.0

    def backoff(self, base: float) -> float:
        """Seconds to the next poll: ``base`` while online, doubling per failure up to a minute."""
        if self.failures == 0:
            return base
        return min(MAX_BACKOFF, max(base, 1.0) * 2.0 ** min(self.failures, 6))

    def report_waiting(self, delay: float) -> None:
        """While failing: tell the status line when the next attempt comes."""
        if self.failures:
            self.post(
                msg.ConnectionChanged(
                    "offline", retry_in=delay, last_sync=self.last_sync, detail=self.detail
                )
            )

    def report_error(self, exc: BaseException) -> None:
        """A poll failed for a reason other than the connection: show it, keep the state."""
        self.post(msg.ConnectionChanged(self.state, detail=describe_error(exc)))
