"""The open conversation: its messages (paged newest first) and its contact.

Messages are kept by id, so a poll and an older page merge into one thread
however they overlap; the screen always gets the whole thread, oldest first
(:class:`~sendbee_tui.tui.messages.ThreadLoaded`).  Replies on their way are
not messages yet: the thread widget shows the conversation's outbox entries
after them (:mod:`.sending`) until the server lists the real message.

Older pages load one at a time as the agent scrolls up; Home (the oldest
message) loads all of them at once (:meth:`ThreadSync.load_all`), several
requests in flight and one relayout per batch of pages.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sendbee_tui.api import Contact, Conversation, Message, Page, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.batches import ALL_PAGES_CONCURRENCY, apply_in_batches
from sendbee_tui.tui.inbox.connection import Connection, Post, sleep_or_wake
from sendbee_tui.tui.inbox.conversations import (
    activity,
    last_inbound,
    model_id,
    newest_message,
    ts,
)
from sendbee_tui.tui.inbox.local_state import LocalStore
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["NEW_MESSAGE_PAGES", "ThreadSync"]

log = logging.getLogger(__name__)

#: A poll walks back at most this many pages to catch up with a burst of messages.
NEW_MESSAGE_PAGES = 5


class ThreadSync:
    """Messages of the open conversation, polled while it is open.

    ``lookup`` finds the current version of a conversation the list knows; the
    open conversation is remembered even when the list no longer shows it.
    """

    def __init__(
        self,
        *,
        client: SendbeeClient,
        settings: Settings,
        state: LocalStore,
        post: Post,
        connection: Connection,
        previews: PreviewCache,
        lookup: Callable[[str], Conversation | None],
    ) -> None:
        self.client = client
        self.settings = settings
        self.state = state
        self.post = post
        self.connection = connection
        self.previews = previews
        self.lookup = lookup
        self.current_id: str | None = None
        self._conversation: Conversation | None = None
        #: Message id -> message, for the open conversation.
        self.messages: dict[str, Message] = {}
        #: Message id -> (page, index) where the server last listed it (newest first).
        self._place: dict[str, tuple[int, int]] = {}
        self._pages = 0
        self._last_page = 1
        self.loading_older = False
        self._loading_all = False
        #: Full contact records (tags, notes, fields) by the conversation's contact id.
        self.contacts: dict[str, Contact] = {}
        #: Bumped by every local contact edit (:meth:`remember_contact`): a lookup that
        #: started before an edit must not put the older record back when it lands.
        self.contact_edits = 0
        self._wake = asyncio.Event()

    # ------------------------------------------------------------------ queries

    @property
    def conversation(self) -> Conversation | None:
        """The open conversation (cleaned model) or None.

        Kept even when the list switches to a folder or search that does not
        contain it, so actions on the open thread never fall through to another row.
        """
        if not self.current_id:
            return None
        conv = self.lookup(self.current_id)
        if conv is not None:
            self._conversation = conv
        return self._conversation

    def remember(self, conv: Conversation) -> None:
        """A newer version of ``conv`` arrived; keep it if it is the open one."""
        if conv.id == self.current_id:
            self._conversation = conv

    def has_older(self) -> bool:
        """Older pages of the open thread exist on the server."""
        return self._pages < self._last_page

    def ordered(self) -> list[Message]:
        """The thread oldest first.

        Sendbee's times are whole seconds, so two replies sent within one second
        tie: they keep the order the server lists them in (newest first, so a later
        place is older), then the id keeps the order stable.
        """

        def key(m: Message) -> tuple[float, int, int, str]:
            page, index = self._place.get(model_id(m), (0, 0))
            return (ts(m.sent_at) or 0.0, -page, -index, str(m.id))

        return sorted(self.messages.values(), key=key)

    # ------------------------------------------------------------------ open / close

    def begin(self, conv_id: str) -> None:
        """Switch to ``conv_id``: forget the old thread, mark it read, say it is loading."""
        self.current_id = conv_id
        self._conversation = self.lookup(conv_id)
        self.messages = {}
        self._place = {}
        self._pages = 0
        self._last_page = 1
        conv = self._conversation
        if conv is not None:
            self.mark_read(conv)
        self.post(msg.ThreadLoading(conv_id))

    async def load_newest(self, conv_id: str) -> None:
        """First page of the thread begun with :meth:`begin`, then its contact."""
        conv = self.lookup(conv_id)
        page = await self.connection.guarded(self.client.conversations.messages(conv_id, page=1))
        if page is None or self.current_id != conv_id:
            return
        self._merge(page, 1)
        self.post(msg.ThreadLoaded(conv_id, self.ordered(), has_older=self.has_older()))
        if conv is not None:
            await self._load_contact(conv)

    def close(self) -> None:
        """No conversation open (it was marked unread)."""
        self.current_id = None
        self.messages = {}
        self._place = {}

    def mark_read(self, conv: Conversation) -> None:
        """The agent has seen ``conv`` up to its newest customer message."""
        try:
            self.state.mark_read(model_id(conv), last_inbound(conv) or activity(conv))
        except Exception:
            log.exception("mark_read failed")

    # ------------------------------------------------------------------ merging

    def _merge(self, page: Page[Message], page_no: int) -> bool:
        """Merge one page into the thread; True when anything changed."""
        changed = False
        for index, m in enumerate(page.items):
            m = clean_model(m)
            mid = model_id(m)
            self._place[mid] = (page_no, index)
            if self.messages.get(mid) != m:
                self.messages[mid] = m
                changed = True
        self._pages = max(self._pages, page_no)
        self._last_page = page.meta.last_page or 1
        if page_no == 1 and page.items and self.current_id:
            conv = self.lookup(self.current_id)
            if conv is not None:
                self.previews.store(conv, newest_message(clean_model(m) for m in page.items))
        return changed

    # ------------------------------------------------------------------ polling

    async def poll(self) -> None:
        """Fetch the newest messages of the open conversation (and any it skipped)."""
        conv_id = self.current_id
        if conv_id is None:
            return
        known_ids = set(self.messages)
        messages = self.client.conversations.messages
        page = await self.connection.guarded(messages(conv_id, page=1))
        if page is None or conv_id != self.current_id:
            return
        changed = self._merge(page, 1)
        # More new messages than one page since the last poll: walk back until the
        # pages meet what we already have (bounded), so none is skipped.
        page_no = 1
        while (
            known_ids
            and page.items
            and not any(m.id in known_ids for m in page.items)
            and page_no < min(NEW_MESSAGE_PAGES, page.meta.last_page or 1)
        ):
            page_no += 1
            page = await self.connection.guarded(messages(conv_id, page=page_no))
            if page is None or conv_id != self.current_id:
                return
            changed = self._merge(page, page_no) or changed
        if changed:
            self.post(
                msg.ThreadLoaded(
                    conv_id, self.ordered(), has_older=self.has_older(), scroll_to_end=False
                )
            )
            conv = self.lookup(conv_id)
            if conv is not None:
                self.mark_read(conv)

    async def load_older(self) -> None:
        """Load the next older page of the open thread (scrolling up)."""
        conv_id = self.current_id
        if conv_id is None or not self.has_older() or self.loading_older:
            return
        self.loading_older = True
        try:
            page_no = self._pages + 1
            page = await self.connection.guarded(
                self.client.conversations.messages(conv_id, page=page_no)
            )
            if page is None or conv_id != self.current_id:
                return
            self._merge(page, page_no)
            self.post(
                msg.ThreadLoaded(
                    conv_id, self.ordered(), has_older=self.has_older(), scroll_to_end=False
                )
            )
        finally:
            self.loading_older = False

    async def load_all(self) -> None:
        """Load every page of the open thread (Home: the oldest message).

        The pages come :data:`~.batches.ALL_PAGES_CONCURRENCY` at a time, newest
        first; each batch that arrives together is merged and shown as one.
        Opening another conversation meanwhile cancels the rest.
        """
        conv_id = self.current_id
        if conv_id is None or not self.has_older() or self._loading_all:
            return
        # An older page already on its way merges harmlessly (messages are kept by id).
        self._loading_all = self.loading_older = True
        page_no = 0

        def apply(batch: list[Page[Message]]) -> None:
            nonlocal page_no
            if conv_id != self.current_id:
                return
            changed = False
            for page in batch:
                page_no += 1
                changed = self._merge(page, page_no) or changed
            if changed or not self.has_older():  # the last batch says there is no more
                self.post(
                    msg.ThreadLoaded(
                        conv_id, self.ordered(), has_older=self.has_older(), scroll_to_end=False
                    )
                )

        try:
            pages = self.client.conversations.messages_pages(
                conv_id, concurrency=ALL_PAGES_CONCURRENCY
            )
            await self.connection.guarded(
                apply_in_batches(pages, apply, stop=lambda: conv_id != self.current_id)
            )
        finally:
            self._loading_all = self.loading_older = False

    def wake(self) -> None:
        """Poll now (after the current request)."""
        self._wake.set()

    async def loop(self) -> None:
        """Poll the open conversation's newest messages forever."""
        while True:
            try:
                if self.current_id and self.connection.healthy:
                    await self.poll()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("thread poll failed")
            await sleep_or_wake(
                self.connection.backoff(self.settings.poll_thread_seconds), self._wake
            )

    # ------------------------------------------------------------------ contact

    def contact_for(self, conv: Conversation) -> Contact | None:
        """The full contact record of ``conv`` if it was loaded."""
        return self.contacts.get(conv.contact.id or "")

    def remember_contact(self, key: str, contact: Contact) -> None:
        """An edited record, newer than anything a lookup in flight can bring back."""
        self.contact_edits += 1
        self.contacts[key] = contact

    async def _load_contact(self, conv: Conversation) -> None:
        phone = conv.contact.phone
        edits = self.contact_edits
        try:
            page = await self.client.contacts.list(search_query=phone or conv.contact.name)
        except Exception as exc:
            log.debug("contact lookup failed: %s", exc)
            return
        if edits != self.contact_edits:
            return  # edited meanwhile: this answer predates the edit
        found = None
        for c in page.items:
            if c.id == conv.contact.id or (phone and c.phone == phone):
                found = clean_model(c)
                break
        if found is not None:
            self.contacts[conv.contact.id or ""] = found
        if self.current_id == conv.id:
            self.post(msg.ContactLoaded(model_id(conv), found))
