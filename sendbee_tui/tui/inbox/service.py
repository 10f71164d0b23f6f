"""InboxService: the one object the screens talk to; it owns no widgets.

It is a facade over four parts, each in its own module:

* :class:`~.connection.Connection` — online/offline, backoff, gaps;
* :class:`~.list_sync.ListSync` — the conversation list, its view and polling;
* :class:`~.thread_sync.ThreadSync` — the open conversation's messages and contact;
* :class:`~.previews.PreviewCache` — last-message previews of the rows on screen;
* :class:`~.sending.Sending` — replies through the persistent outbox.

Base classes hold the facade's own parts: :mod:`.service_loops` (the app's
four long-lived async workers, each awaiting its work, then sleeping; user
actions run in their own workers), :mod:`.service_replies` (queueing replies,
their row marks, what a reply that reached Sendbee wakes) and
:mod:`.service_drafts` (drafts and composer flags kept on this machine).

Results reach the widgets as :mod:`~sendbee_tui.tui.messages` through the
``post`` callback.  Every model is cleaned exactly once, where it enters from
the API (:func:`~sendbee_tui.tui.safe_text.clean_model`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Iterable

from sendbee_tui.api import Contact, Conversation, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.outbox import OutboxEntry
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.connection import Clock, Connection, Post
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.inbox.filters import ClaimCheck, ListFilter
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.local_state import LocalStore
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.sending import Sending
from sendbee_tui.tui.inbox.service_drafts import MEDIA_DRAFT
from sendbee_tui.tui.inbox.service_loops import InboxLoops
from sendbee_tui.tui.inbox.service_replies import (
    DRAFT_MARK,
    SEND_STATE_MARKS,
    InboxReplies,
    RowMark,
)
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.triage import Triage
from sendbee_tui.tui.inbox.unread import UnreadSummary
from sendbee_tui.tui.inbox.view import ViewState
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["DRAFT_MARK", "MEDIA_DRAFT", "SEND_STATE_MARKS", "InboxService", "RowMark"]


class InboxService(InboxLoops, InboxReplies):
    """Polling, caching and actions for the inbox.

    ``post`` delivers :mod:`~sendbee_tui.tui.messages` to the screen; ``state``
    keeps drafts, read marks and the remembered view on this machine.
    """

    def __init__(
        self,
        client: SendbeeClient,
        *,
        settings: Settings,
        state: LocalStore,
        post: Post,
        clock: Clock = time.time,
    ) -> None:
        self.client = client
        self.settings = settings
        self.state = state
        self.post = post
        self.clock = clock
        self.connection = Connection(settings=settings, post=self._post_connection, clock=clock)
        self.previews = PreviewCache(
            client=client, connection=self.connection, post=post, lookup=self._known
        )
        self.thread = ThreadSync(
            client=client,
            settings=settings,
            state=state,
            post=post,
            connection=self.connection,
            previews=self.previews,
            lookup=self._known,
        )
        self.lists = ListSync(
            client=client,
            settings=settings,
            state=state,
            post=post,
            clock=clock,
            connection=self.connection,
            previews=self.previews,
            thread=self.thread,
        )
        self.connection.on_gap = self.lists.gap_began
        self.connection.on_online = self._server_answers_again
        self.sending = Sending(
            post=post, clock=clock, lookup=self.conversation, on_sent=self._after_sent
        )
        self.triage = Triage(lists=self.lists, state=state, clock=clock, move=self.move)
        self._sent_once: set[str] = set()
        self._local_wake = asyncio.Event()
        self._unread_seen: frozenset[str] = frozenset()

    def _known(self, conv_id: str) -> Conversation | None:
        return self.lists.known.get(conv_id)

    # ------------------------------------------------------------------ queries

    @property
    def view(self) -> ViewState:
        """Folder, search, sort and unread filter of the list."""
        return self.lists.view

    @property
    def current_id(self) -> str | None:
        """Id of the open conversation."""
        return self.thread.current_id

    @property
    def current_conversation(self) -> Conversation | None:
        """The open conversation, even when the list no longer shows it."""
        return self.thread.conversation

    @property
    def contacts(self) -> dict[str, Contact]:
        """Full contact records loaded so far, by the conversation's contact id."""
        return self.thread.contacts

    @property
    def loading_older(self) -> bool:
        """An older page of the open thread is on its way."""
        return self.thread.loading_older

    def conversation(self, conv_id: str) -> Conversation | None:
        """The latest known version of ``conv_id`` (the list's, or the open one)."""
        conv = self.lists.known.get(conv_id)
        if conv is None and conv_id == self.thread.current_id:
            return self.thread.conversation
        return conv

    def recipient_name(self, entry: OutboxEntry) -> str:
        """Who a reply in the outbox is for: the contact's name, else the phone it goes to
        (a template to a new number has no conversation, so no contact yet)."""
        conv = self.conversation(entry.conversation_id) if entry.conversation_id else None
        name = conv.contact.name if conv is not None else None
        return name or entry.phone

    def contact_for(self, conv: Conversation) -> Contact | None:
        """The full contact record of ``conv`` if it was loaded."""
        return self.thread.contact_for(conv)

    def preview(self, conv: Conversation) -> str | None:
        """Cached preview text, even if slightly stale (a newer one is on its way)."""
        return self.previews.text(conv)

    def is_unread(self, conv: Conversation) -> bool:
        return self.lists.is_unread(conv)

    def rows(self) -> list[Conversation]:
        """Conversations of the current view in display order, filters applied."""
        return self.lists.rows()

    def unread_count(self) -> int:
        """Unread conversations in every folder (see :meth:`unread_summary`)."""
        return self.lists.unread_count()

    def unread_summary(self) -> UnreadSummary:
        """Account-wide unread count, per folder, and whether it is a lower bound."""
        return self.lists.unread_summary()

    @property
    def filter(self) -> ListFilter:
        """Tag, chatbot and 24-hour window filter of the list."""
        return self.lists.filter

    def use_claims(self, check: ClaimCheck) -> None:
        """A team session: the list's claim filter asks ``check`` (conversation id, value)."""
        self.lists.claim_check = check

    def claims_changed(self) -> None:
        """Claims changed (team session): filter the list again if it filters by claim."""
        if self.lists.filter.claim is not None:
            self.lists.publish()

    def text_coverage(self) -> int:
        """Conversations whose message text the search could look into (it is partial)."""
        return self.lists.text_coverage()

    def has_more(self) -> bool:
        """More pages of the current view exist on the server."""
        return self.lists.has_more()

    def has_older(self) -> bool:
        """Older pages of the open thread exist on the server."""
        return self.thread.has_older()

    # ------------------------------------------------------------------ the list

    def set_sort(self, sort: str) -> None:
        self.lists.set_sort(sort)

    def set_unread_only(self, unread_only: bool) -> None:
        self.lists.set_unread_only(unread_only)

    async def set_folder(self, folder: str) -> None:
        await self.lists.set_folder(folder)

    async def set_search(self, query: str) -> None:
        await self.lists.set_search(query)

    async def set_filter(self, wanted: ListFilter) -> None:
        await self.lists.set_filter(wanted)

    async def reload(self) -> None:
        await self.lists.reload()

    async def load_more(self) -> None:
        await self.lists.load_more()

    def request_previews(self, conv_ids: Iterable[str]) -> None:
        """Rows on screen without an up-to-date preview: fetch them (batched, cached)."""
        self.previews.request(conv_ids)

    async def poll_list(self) -> None:
        """One poll of the list (the loop calls it; tests call it directly)."""
        await self.lists.poll()

    def mark_unread(self, conv_id: str) -> None:
        """``u`` (undoable with ``z``)."""
        conv = self.conversation(conv_id)
        if conv is None:
            self.lists.mark_unread(conv_id)
        else:
            self.triage.mark_unread(conv)

    def mark_all_read(self) -> int:
        """Everything up to now counts as read (``A``), like mutt's catch-up; returns how
        many conversations were unread (undoable with ``z``)."""
        return self.triage.mark_all_read()

    async def move_undoable(self, conv: Conversation, folder: str) -> Conversation:
        """``d``: :meth:`move`, remembered for ``z``."""
        return await self.triage.move(conv, folder)

    async def undo(self) -> str | None:
        """Take back the last ``u`` / ``A`` / ``d``; returns what was undone (None: nothing)."""
        return await self.triage.undo()

    # ------------------------------------------------------------------ the thread

    async def open_conversation(self, conv_id: str) -> None:
        """Show ``conv_id``: mark it read, load its newest page and its contact."""
        self.lists.search.leave_thread()
        self.thread.begin(conv_id)
        self.lists.publish_unread()
        await self.thread.load_newest(conv_id)

    def close_conversation(self) -> None:
        self.thread.close()

    async def poll_thread(self) -> None:
        await self.thread.poll()

    async def load_older(self) -> None:
        """Load the next older page of the open thread (scrolling up)."""
        await self.thread.load_older()

    async def load_whole_thread(self) -> None:
        """Load every page of the open thread at once (Home: the oldest message)."""
        await self.thread.load_all()

    # ------------------------------------------------------------------ changes from elsewhere

    async def refresh_conversation(self, conv_id: str) -> Conversation:
        """Re-read one conversation from the server (after a template send, ...)."""
        conv = clean_model(await self.client.conversations.get(conv_id))
        self.lists.apply_conversation(conv)
        if conv_id == self.thread.current_id:
            self.thread.wake()
        return conv

    def update_contact(self, contact: Contact) -> None:
        """``contact`` was edited elsewhere (the contacts screen): show the edit everywhere.

        Every loaded conversation of that contact gets its name and phone (a
        field the record lacks is kept), the list is republished, and the
        contact pane and header of the open conversation are refreshed.
        """
        contact = clean_model(contact)
        current = self.thread.conversation
        candidates = dict(self.lists.known)
        if current is not None:
            candidates.setdefault(model_id(current), current)
        updated = [_with_contact(c, contact) for c in candidates.values() if _is_with(c, contact)]
        for key in {contact.id or "", *(c.contact.id or "" for c in updated)} - {""}:
            self.thread.remember_contact(key, contact)
        self.lists.replace_known(updated)
        current = self.thread.conversation
        if current is not None and any(c.id == current.id for c in updated):
            self.post(msg.ConversationUpdated(current))

    # ------------------------------------------------------------------ actions

    async def set_chatbot(self, conv_id: str, active: bool) -> bool:
        """Turn the chatbot on/off and return the state the *server* reports afterwards."""
        await self.client.chatbot.set(conv_id, active)
        status = await self.client.chatbot.status(conv_id)
        conv = self.lists.known.get(conv_id)
        server_state = bool(status.chatbot_active)
        if conv is not None:
            self.lists.apply_conversation(dataclasses.replace(conv, chatbot_active=server_state))
        return server_state

    async def move(self, conv_id: str, folder: str) -> Conversation:
        """Move to ``folder`` (open/done); returns the conversation as the server answered."""
        conv = clean_model(await self.client.conversations.move(conv_id, folder))
        self.lists.apply_conversation(conv)
        return conv


def _is_with(conv: Conversation, contact: Contact) -> bool:
    """Whether ``conv`` is with ``contact`` (same id, or the same phone number)."""
    if contact.id and conv.contact.id == contact.id:
        return True
    return bool(contact.phone) and conv.contact.phone == contact.phone


def _with_contact(conv: Conversation, contact: Contact) -> Conversation:
    """``conv`` showing the name and phone of ``contact`` (missing ones are kept)."""
    summary = dataclasses.replace(
        conv.contact,
        name=contact.name if contact.name is not None else conv.contact.name,
        phone=contact.phone or conv.contact.phone,
    )
    return dataclasses.replace(conv, contact=summary)
