"""InboxService: the one object the screens talk to; it owns no widgets.

It is a facade over four parts, each in its own module:

* :class:`~.connection.Connection` — online/offline, backoff, gaps;
* :class:`~.list_sync.ListSync` — the conversation list, its view and polling;
* :class:`~.thread_sync.ThreadSync` — the open conversation's messages and contact;
* :class:`~.previews.PreviewCache` — last-message previews of the rows on screen;
* :class:`~.sending.Sending` — replies through the persistent outbox.

The app runs four long-lived async workers over it (:meth:`InboxService.list_loop`,
:meth:`~InboxService.thread_loop`, :meth:`~InboxService.preview_loop`,
:meth:`~InboxService.local_loop`); each one awaits its work, then sleeps.  User
actions run in their own workers.

Results reach the widgets as :mod:`~sendbee_tui.tui.messages` through the
``post`` callback.  Every model is cleaned exactly once, where it enters from
the API (:func:`~sendbee_tui.tui.safe_text.clean_model`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterable

from textual.message import Message

from sendbee_tui.api import Contact, Conversation, RetryEvent, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.outbox import Outbox, OutboxEntry, State
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.connection import Clock, Connection, Post, sleep_or_wake
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.inbox.filters import ClaimCheck, ListFilter
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.local_state import PREVENT_BOT_OFF, LocalStore
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.sending import Sending
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.triage import Triage
from sendbee_tui.tui.inbox.unread import UnreadSummary
from sendbee_tui.tui.inbox.view import ViewState
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["DRAFT_MARK", "MEDIA_DRAFT", "SEND_STATE_MARKS", "InboxService", "RowMark"]

#: A mark on a conversation row: (text, style).
RowMark = tuple[str, str]
#: The row mark of a conversation with a saved draft.
DRAFT_MARK: RowMark = ("✎", "$warning")
#: Row marks for what :meth:`InboxService.send_state` reports (from the outbox).
SEND_STATE_MARKS: dict[str, RowMark] = {
    "queued": ("⇡ queued", "$warning"),
    "sending": ("⇡ sending", "$warning"),
    "checking": ("? checking", "$warning"),
    "failed": ("✗ not sent", "$error"),
    "unconfirmed": ("⚠ unconfirmed", "$error"),
}

log = logging.getLogger(__name__)

#: Per-conversation flag: the media URL typed in the composer and not sent yet.
MEDIA_DRAFT = "media_draft"


class InboxService:
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

    def row_marks(self, conv: Conversation) -> tuple[RowMark, ...]:
        """Marks shown on a row: a saved draft, and a queued or failed send."""
        conv_id = model_id(conv)
        marks: list[RowMark] = []
        if self.get_draft(conv_id).strip():
            marks.append(DRAFT_MARK)
        try:
            state = self.send_state(conv_id)
        except Exception:
            log.exception("send_state failed")
            state = None
        if state in SEND_STATE_MARKS:
            marks.append(SEND_STATE_MARKS[state])
        return tuple(marks)

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

    def get_draft(self, conv_id: str) -> str:
        try:
            return self.state.get_draft(conv_id) or ""
        except Exception:
            log.exception("get_draft failed")
            return ""

    def set_draft(self, conv_id: str, text: str) -> None:
        try:
            self.state.set_draft(conv_id, text)
        except Exception:
            log.exception("set_draft failed")

    def save_now(self) -> None:
        """Write pending drafts now (after a send: the sent text must not survive as a draft)."""
        try:
            self.state.flush()
        except Exception:
            log.exception("flush failed")

    def has_sent(self, conv_id: str) -> bool:
        """Whether this session already replied in ``conv_id`` (for the bot-off warning)."""
        return conv_id in self._sent_once

    def prevent_bot_off(self, conv_id: str) -> bool:
        """Whether replies to ``conv_id`` keep its chatbot on (remembered per conversation)."""
        try:
            return bool(self.state.get_flag(conv_id, PREVENT_BOT_OFF, False))
        except Exception:
            log.exception("get_flag failed")
            return False

    def set_prevent_bot_off(self, conv_id: str, value: bool) -> None:
        try:
            self.state.set_flag(conv_id, PREVENT_BOT_OFF, True if value else None)
        except Exception:
            log.exception("set_flag failed")

    def get_media_draft(self, conv_id: str) -> str:
        """The media URL typed for ``conv_id`` and not sent yet ("" when none)."""
        try:
            value = self.state.get_flag(conv_id, MEDIA_DRAFT, "")
        except Exception:
            log.exception("get_flag failed")
            return ""
        return value if isinstance(value, str) else ""

    def set_media_draft(self, conv_id: str, url: str) -> None:
        try:
            self.state.set_flag(conv_id, MEDIA_DRAFT, url or None)
        except Exception:
            log.exception("set_flag failed")

    # ------------------------------------------------------------------ the outbox

    @property
    def outbox(self) -> Outbox | None:
        """The persistent outbox every reply goes through (None until the app attaches it)."""
        return self.sending.outbox

    def attach_outbox(self, outbox: Outbox) -> None:
        """Send replies through ``outbox`` (built by the app with :meth:`window_open`)."""
        self.sending.attach(outbox)

    def window_open(self, conv_id: str) -> bool | None:
        """The outbox's question before a queued reply leaves: is the window still open?"""
        return self.sending.window_open(conv_id)

    def send_state(self, conv_id: str) -> str | None:
        """What a conversation's row can mark about its replies.

        ``"unconfirmed"``, ``"failed"``, ``"checking"``, ``"queued"`` (most
        urgent first when several apply) or None.  Cheap (a dict lookup): the
        list may call it for every row it draws; a change is announced with
        :class:`~sendbee_tui.tui.inbox.sending.SendStateChanged`.
        """
        return self.sending.send_state(conv_id)

    def needs_you(self) -> int:
        """Replies waiting for the agent (failed, unconfirmed), in every conversation."""
        return self.sending.needs_you()

    def outbox_entries(self, conv_id: str) -> list[OutboxEntry]:
        """The conversation's outbox entries, oldest first (sent ones included)."""
        return self.sending.entries(conv_id)

    def enqueue_reply(
        self,
        conv: Conversation,
        text: str,
        media_url: str | None = None,
        *,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
    ) -> OutboxEntry:
        """Queue a free-form reply; it is on disk when this returns (ValueError: unusable)."""
        entry = self.sending.enqueue_reply(
            conv, text, media_url or None, prevent_bot_off=prevent_bot_off, agent_id=agent_id
        )
        self._sent_once.add(model_id(conv))
        return entry

    def _after_sent(self, entry: OutboxEntry) -> None:
        """A reply reached Sendbee: fetch the thread (its real message replaces the entry)."""
        conv_id = entry.conversation_id or ""
        self._sent_once.add(conv_id)
        if not self.connection.healthy:
            # Sendbee took the reply, so it answers again: the list poll (which brings
            # the inbox back online, and the thread with it) need not wait out its backoff.
            self.lists.wake()
        if conv_id == self.thread.current_id:
            self.thread.wake()
        conv = self.lists.known.get(conv_id)
        if conv is not None and conv.chatbot_active and not entry.payload.prevent_bot_off:
            # What the server did on receiving it; the next poll confirms.
            self.lists.apply_conversation(dataclasses.replace(conv, chatbot_active=False))

    def _server_answers_again(self) -> None:
        """After failures: previews and the open thread catch up now.

        The thread loop skips its polls while the connection fails and then sleeps
        the backoff (up to a minute); without this wake the open conversation would
        stay stale that long after the list is back.
        """
        self.previews.kick()
        self.thread.wake()

    def _post_connection(self, message: Message) -> object:
        """The connection's messages go to the screen; a success also resumes the outbox.

        A reply queued while Sendbee was unreachable goes out within one poll
        interval of the server answering the inbox again, not after the
        outbox's own (longer) backoff.
        """
        if isinstance(message, msg.ConnectionChanged) and message.state == "online":
            outbox = self.sending.outbox
            if outbox is not None and any(e.state is State.QUEUED for e in outbox.pending()):
                outbox.server_back()
        return self.post(message)

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

    # ------------------------------------------------------------------ loops

    def wake(self) -> None:
        """Ask the polling loops to poll now (after their current request)."""
        self.lists.wake()
        self.thread.wake()
        self._local_wake.set()

    def start_early(self) -> None:
        """Send the first list request now; the first poll takes its answer."""
        self.lists.start_early()

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
        unread = frozenset(cid for cid, conv in self.lists.known.items() if self.is_unread(conv))
        if unread != self._unread_seen:
            self._unread_seen = unread
            self.lists.publish()

    def on_retry(self, event: RetryEvent) -> None:
        """SendbeeClient ``on_retry`` hook: show "retrying in N s"."""
        self.connection.on_retry(event)

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
