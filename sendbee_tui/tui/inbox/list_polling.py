"""Polling the conversation list: page 1, new inbound, folder totals.

A base class of :class:`~.list_sync.ListSync`.  New customer messages are
detected on every poll, in the open folder even while another view is shown
(:mod:`.arrivals`).  The first page of every folder is re-read with the folder
totals, for the account-wide unread count (:mod:`.unread`).
"""

from __future__ import annotations

import asyncio
import logging

from sendbee_tui.api import AuthenticationError, Conversation
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.inbox.arrivals import Arrivals
from sendbee_tui.tui.inbox.connection import Clock, Post, sleep_or_wake
from sendbee_tui.tui.inbox.conversations import FOLDERS, model_id
from sendbee_tui.tui.inbox.list_pages import ListPages
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["COUNTS_EVERY", "ListPolling"]

#: One logger for the conversation list, whichever of its modules writes.
log = logging.getLogger("sendbee_tui.tui.inbox.list_sync")

#: Folder totals are re-read on the first poll and every this many polls.
COUNTS_EVERY = 6


class ListPolling(ListPages):
    """The polling loop of the conversation list (:class:`~.list_sync.ListSync` sets
    the attributes below)."""

    post: Post
    clock: Clock
    arrivals: Arrivals
    _poll_count: int
    _wake: asyncio.Event

    def gap_began(self) -> None:
        """The connection lost sight of the server: remember what the inbox has seen."""
        self.arrivals.remember(self._watched())

    def _watched(self) -> dict[str, Conversation]:
        """What the catch-up compares: every folder's first page and the loaded pages."""
        return {model_id(c): c for c in self.tally.conversations(self.known)}

    def wake(self) -> None:
        """Poll now (after the current request)."""
        self._wake.set()

    async def loop(self) -> None:
        """Poll the conversation list forever: await the request, then sleep.

        A loop rather than a timer: a short timer that starts an exclusive worker
        cancels its own in-flight request whenever the server is slower than the
        interval, while a loop can neither pile requests up nor cancel itself.
        """
        while True:
            try:
                # The window sort wants every page: asked for (``s``) before the poll,
                # learned from the poll (the first one tells how many pages there are).
                if self._wants_all():
                    await self.load_all()
                await self.poll()
                if self._wants_all():
                    await self.load_all()
            except asyncio.CancelledError:
                raise
            except AuthenticationError as exc:
                # Wrong key/secret: polling harder will not help; say what will.
                log.warning("credentials rejected: %s", describe_error(exc))
                self.connection.credentials_rejected(exc)
            except Exception as exc:
                log.exception("list poll failed")
                self.connection.report_error(exc)
            delay = self.connection.backoff(self.settings.poll_list_seconds)
            self.connection.report_waiting(delay)
            await sleep_or_wake(delay, self._wake)

    async def poll(self) -> None:
        """One poll: page 1 of the view (+ the open folder for new inbound), sometimes counts."""
        gen = self._gen
        self._poll_count += 1
        sent_at = self.clock()
        early = self._early.take(self._first_page_key())
        page = await self.connection.guarded(early or self._fetch_page(1))
        if page is None:
            return
        extra: list[Conversation] = []
        if self.view.folder != "open" or self.view.search:
            # New inbound messages land in Open: watch it even while another view is shown.
            open_page = await self.connection.guarded(
                self._fetch_page(1, folder="open", search=False)
            )
            if open_page is not None:
                extra = [clean_model(c) for c in open_page.items]
                self.tally.set_head("open", extra, open_page.meta.total or 0)
        if gen != self._gen:
            return
        first = self._pages_loaded == 0
        items = self._apply_page(page, 1, replace=first)
        changed = self.view_changed
        fresh = self.arrivals.detect(items + extra, open_id=self.thread.current_id)
        if fresh and self.thread.current_id in {c.id for c in fresh}:
            self.thread.wake()
        if self.arrivals.gap_open:
            since = self.connection.gap_since
            if since is not None and since > sent_at:
                # The gap began while this poll was in flight: its page predates the
                # gap (and was announced above), so it is no news from the gap.
                self.arrivals.remember(self._watched())
            elif self.connection.healthy:
                self.arrivals.summarise(self._watched())
        if changed or fresh:
            self.publish(keep_selection=not first)
        else:
            self.publish_unread()
        if fresh:
            await self._announce(fresh)
        if self._poll_count == 1 or self._poll_count % COUNTS_EVERY == 0:
            await self.refresh_counts()

    async def refresh_counts(self) -> None:
        """Totals of every folder for the tabs, and each folder's first page for the
        unread count (one request per folder other than the one on screen)."""
        counts: dict[str, int] = {}
        for folder in FOLDERS:
            if folder == self.view.folder and not self.view.search:
                counts[folder] = self.total
                continue
            page = await self.connection.guarded(
                self.client.conversations.list(folder=folder, page=1, limit=self.settings.page_size)
            )
            if page is None:
                return
            counts[folder] = page.meta.total or 0
            self.tally.set_head(folder, [clean_model(c) for c in page.items], counts[folder])
        self.counts = counts
        self.post(msg.FolderCounts(dict(counts)))
        self.publish_unread()

    async def _announce(self, fresh: list[Conversation]) -> None:
        """Fetch the new messages' previews (a few) so the notification can quote them."""
        for conv in fresh[:3]:
            try:
                await self.previews.fetch(model_id(conv), conv)
            except Exception as exc:
                log.debug("preview for notification failed: %s", exc)
        self.previews.queue_stale(fresh)
        self.post(msg.NewInbound(conversations=fresh))
        self.post(msg.PreviewsChanged(frozenset(model_id(c) for c in fresh)))
