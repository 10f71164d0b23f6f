"""Resolve ``checking`` entries by reading the conversation: ``sent`` or ``unconfirmed``.

An ambiguous send (timeout, dropped connection, 5xx) is looked for at the
offsets of ``check_schedule`` (e.g. right away, then 2, 5 and 15 s later: a
server that took the request may store it late).  Only reads the server
*answered* count as looks; while it cannot be read the entry stays
``checking`` — unknown is not "not there" — and the reads wait for
:meth:`Outbox.server_back` or the backoff.

One task per conversation handles its ``checking`` entries oldest first, so
claims of identical replies follow send order, and the sender keeps later
replies to that conversation back until it is done.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Collection, Sequence

from sendbee_tui.api.errors import APIError, SendbeeError

from .entry import OutboxEntry, State
from .journal import Journal, Signal, wait_for
from .lookup import MessageLookup
from .rules import NOT_SEEN

__all__ = ["Checker"]

logger = logging.getLogger("sendbee_tui.outbox")


class Checker:
    """Runs the per-conversation check tasks of one outbox."""

    def __init__(
        self,
        journal: Journal,
        lookup: MessageLookup,
        *,
        check_schedule: Sequence[float],
        retry_delays: Sequence[float],
        back: Signal,
        done: Signal,
    ) -> None:
        self.journal = journal
        self.lookup = lookup
        self.check_schedule = tuple(check_schedule)
        self.retry_delays = tuple(retry_delays)
        self._back = back
        self._done = done
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def ensure(self, key: str) -> asyncio.Task[None]:
        """The task checking conversation ``key`` (started if none runs)."""
        task = self.tasks.get(key)
        if task is None or task.done():
            task = asyncio.create_task(self._run(key), name=f"outbox-check-{key}")
            self.tasks[key] = task
        return task

    def busy(self, key: str) -> bool:
        task = self.tasks.get(key)
        return task is not None and not task.done()

    async def cancel_all(self) -> None:
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.tasks.clear()

    async def _run(self, key: str) -> None:
        try:
            while (entry := self.journal.first(State.CHECKING, key)) is not None:
                try:
                    await self._check(entry)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("outbox %s: check failed; trying again", entry.id)
                    await asyncio.sleep(max(self.retry_delays))
        finally:
            if self.tasks.get(key) is asyncio.current_task():
                del self.tasks[key]
            self._done.fire()

    async def _check(self, entry: OutboxEntry) -> None:
        started = time.monotonic()
        looks = failures = 0
        while looks < len(self.check_schedule):
            delay = started + self.check_schedule[looks] - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            current = self.journal.refresh_one(entry.id)
            if current is None or current.state is not State.CHECKING:
                return  # resolved elsewhere (a late answer, another instance)
            try:
                if await self.look_and_claim(current, [State.CHECKING]):
                    return
            except SendbeeError as exc:
                if isinstance(exc, APIError) and 400 <= exc.status < 500 and exc.status != 429:
                    looks += 1  # the server answered: there is nothing to find
                    continue
                failures += 1
                wait = self.retry_delays[min(failures, len(self.retry_delays)) - 1]
                logger.info("outbox %s: cannot check now (%s)", entry.id, type(exc).__name__)
                await wait_for(self._back.current, wait)
                continue
            looks += 1
        if self.journal.move(entry.id, [State.CHECKING], state=State.UNCONFIRMED, error=NOT_SEEN):
            logger.info("outbox %s unconfirmed after %d looks", entry.id, looks)

    async def look_and_claim(self, entry: OutboxEntry, from_states: Collection[State]) -> bool:
        """Read the conversation and claim the oldest unclaimed match; True when resolved.

        There is no ``await`` between reading the claims and writing ours, so
        claims in this process cannot interleave; across processes the unique
        index refuses a second claim of one message.  Raises the client's
        exceptions when the server cannot be read.
        """
        candidates = await self.lookup.candidates(entry)
        claimed = self.journal.claimed()
        for candidate in candidates:
            if candidate.message_id in claimed:
                continue
            try:
                moved = self.journal.move(
                    entry.id,
                    from_states,
                    durable=False,
                    state=State.SENT,
                    error=None,
                    server_message_id=candidate.message_id,
                    conversation_id=entry.conversation_id or candidate.conversation_id,
                    look_first=False,
                )
            except sqlite3.IntegrityError:
                continue
            if moved is not None:
                logger.info("outbox %s found on the server: sent", entry.id)
            return True
        return False
