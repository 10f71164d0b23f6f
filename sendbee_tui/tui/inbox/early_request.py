"""One request sent before anything is ready to use its answer.

At start the main screen takes ~50 ms to compose and mount, and only then does the
list poll ask for the first page.  On a real network that page costs a round trip or
two (a TLS handshake on the first one), so waiting for the screen first adds the two
up.  :class:`EarlyRequest` sends the request as soon as the client exists and hands
the *same* in-flight request to the first poll, which awaits it as if it had sent it
itself: the screen and the list see exactly the order of events they always did.

The request is tied to what it asked for (folder and search): a poll that wants
something else gets nothing from it, and the early request is cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark an unwanted task's outcome as seen (no "exception never retrieved")."""
    if not task.cancelled():
        task.exception()


class EarlyRequest(Generic[T]):
    """At most one request, started now and taken once by whoever wants the same thing."""

    def __init__(self) -> None:
        self._key: Hashable = None
        self._task: asyncio.Task[T] | None = None

    def start(self, key: Hashable, request: Coroutine[Any, Any, T]) -> None:
        """Send ``request`` (asking for ``key``) now, on the running loop."""
        self.discard()
        self._key = key
        self._task = asyncio.ensure_future(request)
        self._task.add_done_callback(_retrieve)

    def take(self, key: Hashable) -> Awaitable[T] | None:
        """The early request if it asked for ``key`` (only once); else None."""
        task, self._task = self._task, None
        if task is None:
            return None
        if key != self._key:
            task.cancel()
            return None
        return task

    def discard(self) -> None:
        """Cancel a request nobody took (the app is closing, or the view changed)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
