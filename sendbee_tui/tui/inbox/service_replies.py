"""The inbox service's side of the outbox: queueing replies, their marks and wake-ups.

A base class of :class:`~.service.InboxService`; :class:`~.sending.Sending`
holds the glue to the persistent outbox, this part ties it to the list, the
open thread and the connection (a reply that reached Sendbee wakes the polls).
"""

from __future__ import annotations

import dataclasses
import logging

from textual.message import Message

from sendbee_tui.api import Conversation
from sendbee_tui.outbox import Outbox, OutboxEntry, State
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.connection import Connection, Post
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.inbox.list_sync import ListSync
from sendbee_tui.tui.inbox.sending import Sending
from sendbee_tui.tui.inbox.service_drafts import InboxDrafts
from sendbee_tui.tui.inbox.thread_sync import ThreadSync

__all__ = ["DRAFT_MARK", "SEND_STATE_MARKS", "InboxReplies", "RowMark"]

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

#: One logger for the inbox service, whichever of its modules writes.
log = logging.getLogger("sendbee_tui.tui.inbox.service")


class InboxReplies(InboxDrafts):
    """Replies through the outbox (the inbox service sets the attributes below)."""

    post: Post
    connection: Connection
    thread: ThreadSync
    lists: ListSync
    sending: Sending
    #: Conversations this session replied in (for the bot-off warning).
    _sent_once: set[str]

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

    def has_sent(self, conv_id: str) -> bool:
        """Whether this session already replied in ``conv_id`` (for the bot-off warning)."""
        return conv_id in self._sent_once

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
