"""Whole collections for the inbox: every page at once, laid out one batch at a time.

The window sort orders a whole folder and Home in the thread shows its oldest
message, so both need every page.  The client fetches the pages several at a
time and hands each one over as soon as it and every page before it are in
(``list_pages`` / ``messages_pages``); pages that are already in are handed over
back to back, without the event loop turning in between.
:func:`apply_in_batches` gives such a run of pages to the caller's ``apply`` in
one call, made as soon as the loop turns, i.e. while the next page is still on
its way.  Relayouts come at most every :data:`RELAYOUT_SECONDS` (the first one
at once): a relayout of a 5,000-message thread costs tens of milliseconds (the
screen's layout pass, the repaint, the thread's lines) and the server answers a
page in a few, so a batch is everything that arrived since the last relayout.
A 500-page thread costs about ten relayouts, not 500.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import TypeVar

__all__ = ["ALL_PAGES_CONCURRENCY", "RELAYOUT_SECONDS", "apply_in_batches"]

log = logging.getLogger(__name__)

#: Requests in flight while the inbox loads a whole collection.
ALL_PAGES_CONCURRENCY = 4
#: The shortest time between two batches handed to ``apply`` (the first goes at once).
RELAYOUT_SECONDS = 0.25

T = TypeVar("T")


async def apply_in_batches(
    pages: AsyncIterator[T],
    apply: Callable[[list[T]], None],
    *,
    stop: Callable[[], bool] = lambda: False,
    interval: float = RELAYOUT_SECONDS,
) -> int:
    """Feed every page of ``pages`` to ``apply``, one call per batch; return the batches.

    ``stop`` is asked after each page: when it says so (the agent switched folder
    or conversation) the remaining requests are cancelled.  Pages received before
    an error are still applied; the error then propagates.
    """
    loop = asyncio.get_running_loop()
    pending: list[T] = []
    batches = 0
    last = -interval

    def flush() -> None:
        nonlocal batches, last
        if pending:
            batch = pending[:]
            pending.clear()
            batches += 1
            last = loop.time()
            apply(batch)

    def flush_when_the_loop_turns() -> None:
        try:
            flush()
        except Exception:  # a callback's exception would only reach the loop's handler
            log.exception("applying a batch of pages failed")

    try:
        async for page in pages:
            if not pending:
                wait = last + interval - loop.time()
                if wait > 0:
                    loop.call_later(wait, flush_when_the_loop_turns)
                else:
                    loop.call_soon(flush_when_the_loop_turns)
            pending.append(page)
            if stop():
                break
    finally:
        close = getattr(pages, "aclose", None)
        if close is not None:
            await close()  # cancels the requests still in flight
    flush()
    return batches
