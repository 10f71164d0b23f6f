"""The sender loop: one request on the wire at a time per account, in creation order.

Among several processes on one database, only the holder of the account's
lease sends (and checks); the others mirror the journal and take over when
the lease expires or its holder died.  Putting an entry to ``sending``
requires the lease in the same transaction, so two processes can never both
send one reply.

Per step: pick the oldest ``queued`` entry whose conversation has nothing
``sending``/``checking`` (order within a conversation is kept; other
conversations go on), ask ``window_open`` for a free-form reply, persist
``sending`` with the attempt time, call the API, and sort the outcome with
:func:`.rules.classify`.  Nothing here raises out of the loop.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import RateLimitError, SendbeeError
from sendbee_tui.api.models import SentMessage

from .checker import Checker
from .entry import Kind, OutboxEntry, State
from .journal import Journal, Signal, wait_for
from .rules import WINDOW_CLOSED, Outcome, classify, describe

__all__ = ["Sender", "WindowCheck"]

logger = logging.getLogger("sendbee_tui.outbox")

#: ``window_open(conversation_id)``: False fails a queued free-form reply; None = unknown.
WindowCheck = Callable[[str], "bool | Awaitable[bool | None] | None"]


class Sender:
    """The loop that sends one account's outbox (see the module docstring)."""

    def __init__(
        self,
        client: SendbeeClient,
        journal: Journal,
        checker: Checker,
        *,
        owner: str,
        window_open: WindowCheck | None,
        retry_delays: Sequence[float],
        lease_ttl: float,
        poll_interval: float,
        keep_sent: float,
        wake: Signal,
        back: Signal,
    ) -> None:
        self.client = client
        self.journal = journal
        self.store = journal.store
        self.checker = checker
        self.window_open = window_open
        self.retry_delays = tuple(retry_delays)
        self.lease_ttl = lease_ttl
        self.poll_interval = poll_interval
        self.keep_sent = keep_sent
        self.lease = (f"outbox:{journal.account}", owner)
        self.leader = False
        self.recovered = False
        self.closing = False
        self.in_flight: str | None = None
        self.paused_until = 0.0
        self._failures = 0
        self._wake = wake
        self._back = back

    # ------------------------------------------------------------------ lease

    def take_lease(self) -> bool:
        """Hold (or renew) the account's lease; False while another live process has it."""
        try:
            self.leader = self.store.try_lease(*self.lease, self.lease_ttl)
        except sqlite3.Error as exc:
            logger.warning("outbox: cannot take the sending lease: %s", exc)
            self.leader = False
        return self.leader

    def release_lease(self) -> None:
        if self.leader:
            self.leader = False
            try:
                self.store.release_lease(*self.lease)
            except sqlite3.Error as exc:
                logger.warning("outbox: cannot release the sending lease: %s", exc)

    async def heartbeat(self) -> None:
        """Renew the lease while we hold it, so a slow request never lets another process in."""
        while True:
            await asyncio.sleep(self.lease_ttl / 3)
            if self.leader and not self.take_lease():
                logger.warning("outbox: lost the sending lease to another instance")

    # ------------------------------------------------------------------ loop

    async def run(self) -> None:
        while not self.closing:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                # Entries stay in the database in their last state; the next step goes on.
                logger.exception("outbox loop error")
                await asyncio.sleep(min(self.retry_delays))

    async def _step(self) -> None:
        wake = self._wake.current
        if not self.leader:
            if not self.take_lease():
                self.journal.sync()
                await wait_for(wake, self.poll_interval)
                return
            logger.info("outbox: this instance sends for the account")
            self.journal.table.prune([State.SENT.value], self.store.clock() - self.keep_sent)
            self.recovered = False
        if not self.recovered:
            await self.recover()  # again next step if it raised: nothing is sent before
            self.recovered = True
        self.journal.sync()
        for entry in list(self.journal.active.values()):
            if entry.state is State.CHECKING:
                self.checker.ensure(entry.key)
        pause = self.paused_until - time.monotonic()
        if pause > 0:
            await wait_for(self._back.current, pause)
            return
        sendable = self._next_sendable()
        if sendable is None or self.closing:
            await wait_for(wake, self.poll_interval)
            return
        await self._send(sendable)

    def _next_sendable(self) -> OutboxEntry | None:
        """The oldest queued entry whose conversation has nothing on its way or being checked."""
        active = list(self.journal.active.values())
        busy = {e.key for e in active if e.state is not State.QUEUED}
        for entry in active:
            if entry.state is State.QUEUED and entry.key not in busy:
                return entry
        return None

    async def recover(self) -> None:
        """Check what a previous run left ``sending``/``checking`` before anything is sent.

        Does nothing while another live instance holds the lease: that one recovers.
        """
        if not self.leader and not self.take_lease():
            return
        self.journal.sync()
        for entry in self.journal:
            if entry.state is State.SENDING and entry.id != self.in_flight:
                self.journal.move(entry.id, [State.SENDING], state=State.CHECKING)
        keys = {e.key for e in self.journal if e.state is State.CHECKING}
        if keys:
            logger.info("outbox: checking %d unfinished conversation(s) first", len(keys))
            await asyncio.gather(*(self.checker.ensure(k) for k in keys), return_exceptions=True)

    def server_back(self) -> None:
        self.paused_until = 0.0
        self._failures = 0

    # ------------------------------------------------------------------ one send

    async def _window_allows(self, entry: OutboxEntry) -> bool:
        if self.window_open is None or not entry.kind.free_form or not entry.conversation_id:
            return True
        try:
            verdict = self.window_open(entry.conversation_id)
            if inspect.isawaitable(verdict):
                verdict = await verdict
        except Exception:
            logger.exception("outbox: window_open callback failed; sending anyway")
            return True
        return verdict is not False

    async def _send(self, entry: OutboxEntry) -> None:
        if not await self._window_allows(entry):
            self.journal.move(entry.id, [State.QUEUED], state=State.FAILED, error=WINDOW_CLOSED)
            logger.info("outbox %s failed: window closed while queued", entry.id)
            return
        if entry.look_first:
            try:
                if await self.checker.look_and_claim(entry, [State.QUEUED]):
                    return
            except SendbeeError as exc:
                self._pause(exc)
                return
        sending = self.journal.move(
            entry.id,
            [State.QUEUED],
            lease=self.lease,
            state=State.SENDING,
            attempted_at=self.store.clock(),
            attempts=entry.attempts + 1,
            error=None,
            look_first=False,
        )
        if sending is None:
            return  # cancelled meanwhile, or the lease moved to another instance
        self.in_flight = sending.id
        try:
            result = await self._deliver(sending)
        except asyncio.CancelledError:
            raise  # stays "sending" on disk: the next recover() checks it
        except Exception as exc:
            self.in_flight = None
            self._after_failure(sending, exc)
            return
        self.in_flight = None
        self._failures = 0
        self._mark_sent(sending, result)

    async def _deliver(self, entry: OutboxEntry) -> SentMessage:
        payload = entry.payload
        if entry.kind is Kind.TEMPLATE:
            return await self.client.messages.send_template(
                entry.phone,
                keyword=payload.template_keyword or "",
                language=payload.template_language or "",
                tags=payload.tags or None,
                button_tags=payload.button_tags or None,
                attachment=payload.attachment,
                prevent_bot_off=payload.prevent_bot_off,
                agent_id=payload.agent_id,
            )
        return await self.client.messages.send(
            entry.phone,
            text=payload.text,
            media_url=payload.media_url,
            prevent_bot_off=payload.prevent_bot_off,
            agent_id=payload.agent_id,
        )

    def _after_failure(self, entry: OutboxEntry, exc: Exception) -> None:
        outcome = classify(exc)
        logger.info("outbox %s: send failed (%s, %s)", entry.id, outcome.value, type(exc).__name__)
        reason = describe(exc)
        if outcome is Outcome.FAILED:
            self.journal.move(entry.id, [State.SENDING], state=State.FAILED, error=reason)
        elif outcome is Outcome.NOT_SENT:
            self.journal.move(entry.id, [State.SENDING], state=State.QUEUED, error=reason)
            self._pause(exc)
        else:
            moved = self.journal.move(entry.id, [State.SENDING], state=State.CHECKING, error=reason)
            if moved is not None:
                self.checker.ensure(moved.key)

    def _pause(self, exc: BaseException) -> None:
        """Stop sending until the server is back: its ``Retry-After``, else the backoff."""
        self._failures += 1
        delay = self.retry_delays[min(self._failures, len(self.retry_delays)) - 1]
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            delay = exc.retry_after
        self.paused_until = time.monotonic() + delay

    def _mark_sent(self, entry: OutboxEntry, result: SentMessage) -> None:
        # The server's answer is the truth, whatever a concurrent check concluded.
        states = [State.SENDING, State.CHECKING, State.UNCONFIRMED]
        conversation_id = entry.conversation_id or result.conversation_id
        try:
            self.journal.move(
                entry.id,
                states,
                durable=False,  # lost on a power cut, it is checked again: found, not resent
                state=State.SENT,
                error=None,
                conversation_id=conversation_id,
                server_message_id=result.message_id,
            )
        except sqlite3.IntegrityError:
            logger.warning("outbox %s: its server message id was claimed by another", entry.id)
            self.journal.move(
                entry.id,
                states,
                durable=False,
                state=State.SENT,
                error=None,
                conversation_id=conversation_id,
            )
        logger.info("outbox %s sent", entry.id)
