"""The outbox service: replies reach the customer exactly once, or visibly not at all.

The Sendbee API has no idempotency key, so "send again after an error" can
deliver twice.  The outbox replaces that with a journal and one rule — *a
request that may have arrived is never sent again unchecked*:

* every reply is persisted before its request leaves (``queued``, then
  ``sending``), so a crash cannot forget it;
* one sender loop per account (one process holds the account's lease) sends
  queued entries one at a time in creation order;
* a failure that proves nothing left (no connection, 429) puts the entry back
  in the queue and pauses until :meth:`Outbox.server_back` or a bounded backoff
  — offline replies go out by themselves, in order;
* a failure that may hide a delivery (timeout, dropped connection, 5xx) makes
  the entry ``checking``: the conversation is read a few times over a bounded
  period; found -> ``sent``, not found -> ``unconfirmed``, which only a
  deliberate :meth:`Outbox.resend_unconfirmed` sends again.  Later replies to
  the same conversation wait meanwhile, so order is kept;
* on start, :meth:`Outbox.recover` checks every entry a previous run left in
  ``sending``/``checking`` before anything else is sent.

Pure asyncio + the API client (no Textual), so a multi-session server can run
it as well as the app.  Commands are synchronous and must be called on the
event loop the service runs on.  Logs carry entry ids and states, never text.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence

from sendbee_tui.api import SendbeeClient
from sendbee_tui.store import LocalStore, owner_id

from .checker import Checker
from .entry import Kind, OutboxEntry, Payload, State
from .journal import Journal, Listener, Signal, wait_for
from .lookup import MessageLookup
from .sender import Sender, WindowCheck
from .validate import validate_entry

__all__ = ["Outbox", "OutboxStateError", "WindowCheck"]

logger = logging.getLogger("sendbee_tui.outbox")


class OutboxStateError(Exception):
    """A command that the entry's current state does not allow (the message says why)."""


class Outbox:
    """The outbox of one account: enqueue replies, watch them, act on the stuck ones.

    ``check_schedule``: seconds after an ambiguous send at which the
    conversation is read (each read that answers counts; failed reads are
    retried after ``retry_delays``).  ``clock_skew``: how much earlier than the
    attempt a matching server message may be stamped.  ``retry_delays``: the
    backoff while the server is unreachable.  ``lease_ttl``: how long a dead
    process can hold the account's sending lease.  ``poll_interval``: how often
    an idle loop looks for work queued by another process.  ``keep_sent``:
    seconds a sent entry is kept (for claims and the UI) before it is pruned.
    """

    def __init__(
        self,
        client: SendbeeClient,
        store: LocalStore,
        account: str,
        *,
        window_open: WindowCheck | None = None,
        check_schedule: Sequence[float] = (0.0, 2.0, 5.0, 15.0),
        clock_skew: float = 10.0,
        retry_delays: Sequence[float] = (1.0, 2.0, 5.0, 10.0, 30.0),
        lease_ttl: float = 30.0,
        poll_interval: float = 2.0,
        keep_sent: float = 86400.0,
        owner: str | None = None,
    ) -> None:
        if not check_schedule or not retry_delays:
            raise ValueError("check_schedule and retry_delays need at least one value")
        self.client = client
        self.store = store
        self.account = account
        self.owner = owner or owner_id()
        self.lookup = MessageLookup(client, clock_skew=clock_skew)
        self.journal = Journal(store, account)
        self._wake = Signal()
        self._back = Signal()
        self.checker = Checker(
            self.journal,
            self.lookup,
            check_schedule=check_schedule,
            retry_delays=retry_delays,
            back=self._back,
            done=self._wake,
        )
        self.sender = Sender(
            client,
            self.journal,
            self.checker,
            owner=self.owner,
            window_open=window_open,
            retry_delays=retry_delays,
            lease_ttl=lease_ttl,
            poll_interval=poll_interval,
            keep_sent=keep_sent,
            wake=self._wake,
            back=self._back,
        )
        self.poll_interval = poll_interval
        self._tasks: list[asyncio.Task[None]] = []

    def __repr__(self) -> str:
        return f"Outbox(account={self.account!r})"

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the sender loop (it recovers unfinished entries before sending anything)."""
        if self._tasks:
            return
        self.sender.closing = False
        self._tasks = [
            asyncio.create_task(self.sender.run(), name=f"outbox-{self.account}"),
            asyncio.create_task(self.sender.heartbeat(), name=f"outbox-lease-{self.account}"),
        ]

    async def aclose(self, grace: float = 5.0) -> None:
        """Stop; a request on the wire gets ``grace`` seconds to be answered first.

        One cut off still is ``sending`` in the database and is checked by the
        next :meth:`recover` — never resent blindly.
        """
        self.sender.closing = True
        self._wake.fire()
        deadline = time.monotonic() + grace
        while self.sender.in_flight is not None and time.monotonic() < deadline:
            await wait_for(self.journal.changed.current, deadline - time.monotonic())
        tasks = self._tasks
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.checker.cancel_all()
        self.sender.release_lease()

    async def recover(self) -> None:
        """Check every entry a previous run left ``sending``/``checking``; nothing is resent.

        The loop runs this when it takes the account's lease, before sending
        anything; calling it again is harmless.  While another live app
        instance is the sender for the account, this returns at once (that
        instance recovers).
        """
        await self.sender.recover()

    async def __aenter__(self) -> Outbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    @property
    def is_sender(self) -> bool:
        """True while this instance holds the account's lease (it is the one sending)."""
        return self.sender.leader

    # ------------------------------------------------------------------ observers and queries

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(entry)`` after every change; returns a function that unsubscribes."""
        self.journal.listeners.append(listener)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self.journal.listeners.remove(listener)

        return unsubscribe

    def get(self, entry_id: str) -> OutboxEntry | None:
        return self.journal.entries.get(entry_id)

    def entries_for(
        self,
        conversation_id: str | None = None,
        *,
        phone: str | None = None,
        include_sent: bool = False,
    ) -> list[OutboxEntry]:
        """Entries of one conversation (or addressed to ``phone``), in creation order.

        Sent entries are left out by default: the thread shows the server's message.
        """
        return [
            e
            for e in self.journal
            if (include_sent or e.state is not State.SENT)
            and (
                (conversation_id is not None and e.conversation_id == conversation_id)
                or (phone is not None and e.phone == phone)
            )
        ]

    def pending(self) -> list[OutboxEntry]:
        """Every entry not sent yet (queued, sending, checking, failed, unconfirmed)."""
        return [e for e in self.journal if e.state is not State.SENT]

    def refresh(self) -> bool:
        """Pick up changes another app instance made; True if anything was reloaded."""
        return self.journal.sync()

    async def wait_idle(self) -> None:
        """Wait until no entry is queued, sending or checking (tests, benchmarks, shutdown)."""
        while True:
            event = self.journal.changed.current
            self.journal.sync()
            if not self.journal.active:
                return
            await wait_for(event, self.poll_interval)

    # ------------------------------------------------------------------ commands

    def enqueue(
        self,
        phone: str,
        kind: Kind,
        payload: Payload,
        *,
        conversation_id: str | None = None,
    ) -> OutboxEntry:
        """Queue a reply; it is on disk when this returns.  Bad input raises ValueError."""
        phone, payload = validate_entry(phone, kind, payload)
        entry = self.journal.insert(
            id=str(uuid.uuid4()),
            conversation_id=conversation_id,
            phone=phone,
            kind=kind.value,
            payload=payload.to_json(),
            state=State.QUEUED.value,
            created_at=self.store.clock(),
        )
        logger.info("outbox %s queued (%s)", entry.id, kind.value)
        self._wake.fire()
        return entry

    def enqueue_text(
        self,
        phone: str,
        text: str,
        *,
        conversation_id: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
    ) -> OutboxEntry:
        """Queue a free-form text reply."""
        payload = Payload(text=text, prevent_bot_off=prevent_bot_off, agent_id=agent_id)
        return self.enqueue(phone, Kind.TEXT, payload, conversation_id=conversation_id)

    def enqueue_media(
        self,
        phone: str,
        media_url: str,
        *,
        text: str | None = None,
        conversation_id: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
    ) -> OutboxEntry:
        """Queue a media message (with an optional caption text)."""
        payload = Payload(
            text=text, media_url=media_url, prevent_bot_off=prevent_bot_off, agent_id=agent_id
        )
        return self.enqueue(phone, Kind.MEDIA, payload, conversation_id=conversation_id)

    def enqueue_template(
        self,
        phone: str,
        keyword: str,
        language: str,
        *,
        tags: Mapping[str, str] | None = None,
        button_tags: Mapping[str, str] | None = None,
        attachment: str | None = None,
        conversation_id: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
        expected_body: str | None = None,
    ) -> OutboxEntry:
        """Queue a template; ``expected_body`` is the filled-in text if the caller knows it."""
        payload = Payload(
            template_keyword=keyword,
            template_language=language,
            tags=dict(tags or {}),
            button_tags=dict(button_tags or {}),
            attachment=attachment,
            prevent_bot_off=prevent_bot_off,
            agent_id=agent_id,
            expected_body=expected_body,
        )
        return self.enqueue(phone, Kind.TEMPLATE, payload, conversation_id=conversation_id)

    def _require(self, entry_id: str) -> OutboxEntry:
        entry = self.journal.refresh_one(entry_id)
        if entry is None:
            raise OutboxStateError("this reply is no longer in the outbox")
        return entry

    def _refuse(self, entry_id: str, action: str) -> OutboxStateError:
        entry = self.journal.entries.get(entry_id)
        state = "gone" if entry is None else entry.state.value
        return OutboxStateError(f"cannot {action} a reply that is {state}")

    def cancel(self, entry_id: str) -> OutboxEntry:
        """Remove a queued reply; refused once it is being sent (it may be on its way)."""
        self._require(entry_id)
        gone = self.journal.remove(entry_id, [State.QUEUED])
        if gone is None:
            raise self._refuse(entry_id, "cancel")
        logger.info("outbox %s cancelled", entry_id)
        return gone

    def retry(self, entry_id: str) -> OutboxEntry:
        """Queue a ``failed`` reply again (it certainly was not delivered)."""
        self._require(entry_id)
        entry = self.journal.move(entry_id, [State.FAILED], state=State.QUEUED, error=None)
        if entry is None:
            raise self._refuse(entry_id, "retry")
        self._wake.fire()
        return entry

    def resend_unconfirmed(self, entry_id: str, *, confirm: bool = False) -> OutboxEntry:
        """Send an ``unconfirmed`` reply again — the agent's deliberate choice, never automatic.

        It may already have reached the customer, so ``confirm=True`` is
        required; the conversation is still read once more before the resend.
        """
        if not confirm:
            raise OutboxStateError("resending an unconfirmed reply needs confirm=True")
        self._require(entry_id)
        entry = self.journal.move(
            entry_id, [State.UNCONFIRMED], state=State.QUEUED, error=None, look_first=True
        )
        if entry is None:
            raise self._refuse(entry_id, "resend")
        logger.info("outbox %s resend confirmed by the agent", entry_id)
        self._wake.fire()
        return entry

    def recheck(self, entry_id: str) -> OutboxEntry:
        """Look for an ``unconfirmed`` reply on the server again (it may have arrived late)."""
        self._require(entry_id)
        entry = self.journal.move(entry_id, [State.UNCONFIRMED], state=State.CHECKING)
        if entry is None:
            raise self._refuse(entry_id, "check")
        self._wake.fire()
        return entry

    def discard(self, entry_id: str) -> OutboxEntry:
        """Forget a reply that is not on its way (queued, failed, unconfirmed or sent)."""
        self._require(entry_id)
        allowed = [State.QUEUED, State.FAILED, State.UNCONFIRMED, State.SENT]
        gone = self.journal.remove(entry_id, allowed)
        if gone is None:
            raise self._refuse(entry_id, "discard")
        return gone

    def edit(self, entry_id: str) -> str:
        """Take a queued, failed or unconfirmed reply back to the composer: its text; discarded."""
        self._require(entry_id)
        gone = self.journal.remove(entry_id, [State.QUEUED, State.FAILED, State.UNCONFIRMED])
        if gone is None:
            raise self._refuse(entry_id, "edit")
        return gone.text or ""

    def server_back(self) -> None:
        """The server answers again (the inbox poller saw it): resume sending and checking now."""
        self.sender.server_back()
        self._back.fire()
        self._wake.fire()
