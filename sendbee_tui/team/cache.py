"""The hub's GET cache: short-lived answers, one upstream request for many askers.

Every agent's app polls the same few things (page 1 of the conversation list,
the open thread, folder counts).  Without the hub, ten agents are ten times
the requests against the account's one rate limit.  Two mechanisms bring that
back to about one:

* **caching**: a successful answer is reused for ``ttl`` seconds (the poll
  interval or so: every session still sees changes within one poll);
* **coalescing**: while a request for a key is in flight, identical requests
  wait for it instead of starting their own.

Invalidation is precise enough to keep an agent's own writes visible at once:
a write or a webhook drops the entries of the affected paths (and, when known,
only those of the affected conversation).  A request that is in flight when
its key is invalidated is *detached*: its waiters still get its answer (they
asked before the change), but it is not stored, and later askers start a
fresh request instead of joining it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from typing import Literal

__all__ = ["CacheKey", "CachedResponse", "ResponseCache"]

Outcome = Literal["hit", "joined", "miss"]


@dataclass(frozen=True, slots=True)
class CacheKey:
    """A GET as the cache sees it: the path, the raw query string, its conversation (if any)."""

    path: str
    query: str
    conversation_id: str | None = None


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """An upstream answer as forwarded to sessions: status, body bytes and kept headers."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class _Entry:
    response: CachedResponse
    stored_at: float


class ResponseCache:
    """TTL cache with request coalescing for the hub's upstream GETs.

    ``ttl`` is a callable so the hub can lengthen it while webhooks keep the
    cache fresh.  Only 200 answers are stored; any answer (or exception) is
    shared with the requests that joined an in-flight fetch.
    """

    def __init__(
        self,
        ttl: Callable[[], float],
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = 2000,
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._max_entries = max_entries
        self._entries: dict[CacheKey, _Entry] = {}
        self._in_flight: dict[CacheKey, asyncio.Task[CachedResponse]] = {}
        self.hits = 0
        self.joins = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def get(
        self, key: CacheKey, fetch: Callable[[], Awaitable[CachedResponse]]
    ) -> tuple[CachedResponse, Outcome]:
        """The answer for ``key``: from the cache, from an in-flight fetch, or fetched now."""
        entry = self._entries.get(key)
        if entry is not None:
            if self._clock() - entry.stored_at < self._ttl():
                self.hits += 1
                return entry.response, "hit"
            del self._entries[key]
        pending = self._in_flight.get(key)
        if pending is not None:
            self.joins += 1
            return await asyncio.shield(pending), "joined"
        self.misses += 1
        # The fetch runs as its own task: if the session that started it goes away
        # (its request cancelled), the sessions that joined still get the answer.
        task = asyncio.get_running_loop().create_task(self._fetch(key, fetch))
        task.add_done_callback(_consume_exception)
        self._in_flight[key] = task
        return await asyncio.shield(task), "miss"

    async def _fetch(
        self, key: CacheKey, fetch: Callable[[], Awaitable[CachedResponse]]
    ) -> CachedResponse:
        try:
            response = await fetch()
        except BaseException:
            self._forget(key)
            raise
        if self._forget(key) and response.status == 200:
            self._store(key, response)
        return response

    def _forget(self, key: CacheKey) -> bool:
        """Stop offering the in-flight fetch of ``key``; False if it was detached already."""
        task = self._in_flight.get(key)
        if task is None or task is not asyncio.current_task():
            return False
        del self._in_flight[key]
        return True

    def _store(self, key: CacheKey, response: CachedResponse) -> None:
        now = self._clock()
        if len(self._entries) >= self._max_entries:
            ttl = self._ttl()
            for stale in [k for k, e in self._entries.items() if now - e.stored_at >= ttl]:
                del self._entries[stale]
            while len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = _Entry(response, now)

    def invalidate(
        self, paths: Collection[str] | None = None, conversation_ids: Collection[str] | None = None
    ) -> int:
        """Drop entries of ``paths`` (None: all paths), limited to ``conversation_ids`` if given.

        An entry without a conversation (a list) always matches its path.  In-flight
        fetches that match are detached (see the module docstring).  Returns the
        number of stored entries dropped.
        """

        def matches(key: CacheKey) -> bool:
            if paths is not None and key.path not in paths:
                return False
            return (
                conversation_ids is None
                or key.conversation_id is None
                or key.conversation_id in conversation_ids
            )

        dropped = [k for k in self._entries if matches(k)]
        for key in dropped:
            del self._entries[key]
        for key in [k for k in self._in_flight if matches(k)]:
            del self._in_flight[key]
        return len(dropped)


def _consume_exception(task: asyncio.Task[CachedResponse]) -> None:
    # Every asker may have gone away; the error was theirs to see, not the loop's to log.
    if not task.cancelled():
        task.exception()
