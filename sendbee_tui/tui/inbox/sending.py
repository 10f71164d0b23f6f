"""Replies through the persistent outbox: what the inbox adds to :class:`.Outbox`.

The inbox never calls the send endpoints itself.  Every reply (composer text,
media URL, "send as" agent, templates) becomes an outbox entry, which is on
disk before its request leaves and is sent, checked and — when its fate is
unknown — left for the agent by the outbox (see :mod:`sendbee_tui.outbox`).
This module is the glue:

* :meth:`Sending.enqueue_reply` turns a composer send into an entry;
* :meth:`Sending.window_open` answers the outbox's "is the 24-hour window
  still open?" from the conversations the inbox knows, so a reply queued
  while offline fails with the reason instead of going out too late;
* the outbox's change notifications become :class:`OutboxChanged` (the thread
  shows a conversation's entries) and :class:`SendStateChanged` (the list can
  mark a row "queued"/"failed"/...); :meth:`Sending.send_state` is the same
  answer on demand, from a cache kept by those notifications;
* :class:`NeedsYouChanged` counts the replies, in every conversation or none,
  that wait for the agent (failed, unconfirmed): the status line shows it, so a
  template to a new number whose answer was lost is noticed though no thread
  shows it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from sendbee_tui.api import Conversation
from sendbee_tui.outbox import Outbox, OutboxEntry, State
from sendbee_tui.tui.inbox.connection import Clock, Post
from sendbee_tui.tui.inbox.conversations import model_id, window_left

__all__ = [
    "NEEDS_YOU",
    "SEND_STATES",
    "NeedsYouChanged",
    "OutboxChanged",
    "SendStateChanged",
    "Sending",
    "send_state_of",
    "settled",
]

log = logging.getLogger(__name__)

#: What a conversation's row can say about its replies, most urgent first.  A
#: reply on its way (``sending``) counts as ``queued``: the agent waits either way.
SEND_STATES: tuple[str, ...] = ("unconfirmed", "failed", "checking", "queued")
_ROW_STATE = {
    State.UNCONFIRMED: "unconfirmed",
    State.FAILED: "failed",
    State.CHECKING: "checking",
    State.QUEUED: "queued",
    State.SENDING: "queued",
}


@dataclass
class OutboxChanged(Message):
    """An outbox entry of ``conversation_id`` changed (the thread shows them after the messages)."""

    conversation_id: str


@dataclass
class NeedsYouChanged(Message):
    """How many replies wait for the agent (failed or unconfirmed), in the whole outbox."""

    count: int


#: The states in which a reply waits for the agent.
NEEDS_YOU = frozenset({State.FAILED, State.UNCONFIRMED})


@dataclass
class SendStateChanged(Message):
    """The row mark of ``conversation_id`` changed: one of :data:`SEND_STATES`, or None."""

    conversation_id: str
    state: str | None


def send_state_of(entries: list[OutboxEntry]) -> str | None:
    """The most urgent of ``entries``' states as a row mark (None: nothing waits or failed)."""
    present = {_ROW_STATE[e.state] for e in entries if e.state in _ROW_STATE}
    return next((s for s in SEND_STATES if s in present), None)


async def settled(outbox: Outbox, entry_id: str, *, through_queue: bool = False) -> OutboxEntry:
    """Wait until the entry's fate is known, or until it waits for Sendbee to come back.

    Returns the entry once it is ``sent``, ``failed`` or ``unconfirmed`` — or
    ``queued`` with an error (Sendbee cannot be reached: it goes out by itself
    later; with ``through_queue`` this is waited out too), or removed
    (``entry.removed``: cancelled or discarded meanwhile).  For a screen that
    stays open while its one reply is on its way (the template form); the
    composer does not wait, the thread shows the state.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[OutboxEntry] = loop.create_future()

    def decided(entry: OutboxEntry) -> bool:
        return (
            entry.removed
            or entry.state in (State.SENT, State.FAILED, State.UNCONFIRMED)
            or (not through_queue and entry.state is State.QUEUED and entry.error is not None)
        )

    def listener(entry: OutboxEntry) -> None:
        if entry.id == entry_id and decided(entry) and not done.done():
            done.set_result(entry)

    unsubscribe = outbox.subscribe(listener)
    try:
        current = outbox.get(entry_id)
        if current is None:
            raise LookupError("the reply is no longer in the outbox")
        if decided(current):
            return current
        return await done
    finally:
        unsubscribe()


class Sending:
    """The inbox's side of the outbox: enqueue, watch, and answer the window question.

    ``lookup`` finds the freshest known version of a conversation (the list's
    or the open one); ``on_sent`` is called when an entry reaches ``sent``
    (the thread polls then, so the server's copy replaces the entry).
    """

    def __init__(
        self,
        *,
        post: Post,
        clock: Clock,
        lookup: Callable[[str], Conversation | None],
        on_sent: Callable[[OutboxEntry], None],
    ) -> None:
        self.post = post
        self.clock = clock
        self.lookup = lookup
        self.on_sent = on_sent
        self.outbox: Outbox | None = None
        self._states: dict[str, str] = {}
        self._needs_you = 0
        self._unsubscribe: Callable[[], None] | None = None

    # ------------------------------------------------------------------ wiring

    def attach(self, outbox: Outbox) -> None:
        """Use ``outbox`` from now on (the app creates it after the service)."""
        self.detach()
        self.outbox = outbox
        self._unsubscribe = outbox.subscribe(self._changed)
        self._states = {}
        for conv_id in {e.conversation_id for e in outbox.pending() if e.conversation_id}:
            state = send_state_of(outbox.entries_for(conv_id))
            if state is not None:
                self._states[conv_id] = state

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.outbox = None

    def require(self) -> Outbox:
        """The outbox; RuntimeError when the app has not attached one (tests of the list)."""
        if self.outbox is None:
            raise RuntimeError("replies cannot be sent: the outbox is not running")
        return self.outbox

    def window_open(self, conversation_id: str) -> bool | None:
        """Whether ``conversation_id``'s 24-hour window is open now; None when unknown.

        Asked by the outbox right before a free-form reply leaves, so a reply
        queued while offline is not sent after its window closed (it fails
        with the reason and keeps its text).
        """
        conv = self.lookup(conversation_id)
        if conv is None:
            return None
        return window_left(conv, self.clock()) is not None

    # ------------------------------------------------------------------ queries

    def send_state(self, conversation_id: str) -> str | None:
        """``"queued"``, ``"failed"``, ``"unconfirmed"``, ``"checking"`` or None (cached)."""
        return self._states.get(conversation_id)

    def entries(self, conversation_id: str) -> list[OutboxEntry]:
        """Every entry of a conversation in creation order, sent ones included.

        The thread hides a sent entry once it shows the server's message.
        """
        if self.outbox is None:
            return []
        return self.outbox.entries_for(conversation_id, include_sent=True)

    # ------------------------------------------------------------------ commands

    def enqueue_reply(
        self,
        conv: Conversation,
        text: str,
        media_url: str | None,
        *,
        prevent_bot_off: bool,
        agent_id: str | None,
    ) -> OutboxEntry:
        """Queue a composer reply (on disk when this returns); ValueError for unusable input."""
        outbox = self.require()
        phone = conv.contact.phone or ""
        if media_url:
            return outbox.enqueue_media(
                phone,
                media_url,
                text=text or None,
                conversation_id=model_id(conv),
                prevent_bot_off=prevent_bot_off,
                agent_id=agent_id,
            )
        return outbox.enqueue_text(
            phone,
            text,
            conversation_id=model_id(conv),
            prevent_bot_off=prevent_bot_off,
            agent_id=agent_id,
        )

    # ------------------------------------------------------------------ notifications

    def needs_you(self) -> int:
        """Replies waiting for the agent (failed, unconfirmed), in every conversation."""
        if self.outbox is None:
            return 0
        return sum(1 for e in self.outbox.pending() if e.state in NEEDS_YOU)

    def _changed(self, entry: OutboxEntry) -> None:
        """Outbox listener (on the event loop): tell the screen, keep the row marks."""
        needs_you = self.needs_you()
        if needs_you != self._needs_you:
            self._needs_you = needs_you
            self.post(NeedsYouChanged(needs_you))
        conv_id = entry.conversation_id
        if not conv_id:
            return  # a template to a number without a conversation yet
        if self.outbox is not None:
            state = send_state_of(self.outbox.entries_for(conv_id))
            if state != self._states.get(conv_id):
                if state is None:
                    self._states.pop(conv_id, None)
                else:
                    self._states[conv_id] = state
                self.post(SendStateChanged(conv_id, state))
        self.post(OutboxChanged(conv_id))
        if entry.state is State.SENT and not entry.removed:
            try:
                self.on_sent(entry)
            except Exception:
                log.exception("after-send hook failed")
