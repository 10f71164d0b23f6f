"""The inbox service's long-lived workers and what wakes them.

A base class of :class:`~.service.InboxService`.  The app runs four async
workers over it (:meth:`InboxLoops.list_loop`, :meth:`~InboxLoops.thread_loop`,
:meth:`~InboxLoops.preview_loop`, :meth:`~InboxLoops.local_loop`); each one
awaits its work, then sleeps, so a slow server never piles requests up.
"""

from __future__ import annotations

import asyncio
import logging

from sendbee_tui.api import RetryEvent
from sendbee_tui.config import Settings
from sendbee_tui.tui.inbox.connection import Connection, sleep_or_wake
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.local_state import LocalStore
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.sending import Sending
from sendbee_tui.tui.inbox.thread_sync import ThreadSync

__all__ = ["InboxLoops"]

#: One logger for the inbox service, whichever of its modules writes.
log = logging.getLogger("sendbee_tui.tui.inbox.service")


class InboxLoops:
    """The polling loops and the local refresh (the inbox service sets the attributes)."""

    settings: Settings
    state: LocalStore
    connection: Connection
    previews: PreviewCache
    thread: ThreadSync
    lists: ListSync
    sending: Sending
    _local_wake: asyncio.Event
    #: The unread ids the last local refresh saw (a change republishes the list).
    _unread_seen: frozenset[str]

    def wake(self) -> None:
        """Ask the polling loops to poll now (after their current request)."""
        self.lists.wake()
        self.thread.wake()
        self._local_wake.set()

    def start_early(self) -> None:
        """Start-up: send the first list request now (the first poll takes its answer),
        and fetch no previews until :meth:`first_rows_shown` (the rows come first)."""
        self.lists.start_early()
        self.previews.hold()

    def first_rows_shown(self) -> None:
        """The first rows are on screen (or start-up is over without them)."""
        self.previews.allow()

    async def list_loop(self) -> None:
        await self.lists.loop()

    async def thread_loop(self) -> None:
        await self.thread.loop()

    async def preview_loop(self) -> None:
        await self.previews.loop()

    async def local_loop(self) -> None:
        """Pick up what another app instance on this account wrote, every list poll interval.

        Read marks and drafts come from the shared database
        (:meth:`~sendbee_tui.store.AccountState.refresh_if_changed`, one pragma
        when nothing changed); outbox entries from the outbox's mirror, whose
        listeners update the thread and the row marks.
        """
        while True:
            try:
                self.refresh_local()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("local state refresh failed")
            await sleep_or_wake(self.settings.poll_list_seconds, self._local_wake)

    def refresh_local(self) -> None:
        """One pass of :meth:`local_loop` (tests call it directly)."""
        self.state.refresh_if_changed()
        outbox = self.sending.outbox
        if outbox is not None:
            outbox.refresh()
        unread = frozenset(
            cid for cid, conv in self.lists.known.items() if self.lists.is_unread(conv)
        )
        if unread != self._unread_seen:
            self._unread_seen = unread
            self.lists.publish()

    def on_retry(self, event: RetryEvent) -> None:
        """SendbeeClient ``on_retry`` hook: show "retrying in N s"."""
        self.connection.on_retry(event)

    def _server_answers_again(self) -> None:
        """After failures: previews and the open thread catch up now.

        The thread loop skips its polls while the connection fails and then sleeps
        the backoff (up to a minute); without this wake the open conversation would
        stay stale that long after the list is back.
        """
        self.previews.kick()
        self.thread.wake()
