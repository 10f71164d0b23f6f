"""The presence loop: tell the hub what this session looks at, learn what the others do.

Every :data:`INTERVAL` seconds, and at once when something changes (another
conversation opened, typing started or stopped), the loop posts
``/_team/presence`` with the open conversation and whether the agent is typing,
then reads ``/_team/claims``.  The hub is on the same host and answers from
memory, so two small requests every two seconds cost nothing worth saving;
claims made from another session show up within one round.

It is a plain coroutine run as an async worker on the app's loop (the API
client belongs to that loop), never a thread.  It never ends on an error: the
hub may be restarting, and the inbox itself says when the server is away.

"Typing" means the composer's text changed in the last :data:`TYPING_WINDOW`
seconds and is not empty: the hub forgets a report after 5 s, so a stale
"is typing…" cannot outlive the agent walking away by much.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from sendbee_tui.tui.team.hub_client import TeamHub
from sendbee_tui.tui.team.state import TeamState

__all__ = ["INTERVAL", "TYPING_WINDOW", "PresenceLoop"]

log = logging.getLogger(__name__)

#: Seconds between reports (the hub counts a report for 5 s).
INTERVAL = 2.0
#: Seconds after the last change of the composer's text that count as typing.
TYPING_WINDOW = 3.0


class PresenceLoop:
    """Reports presence and refreshes presence and claims; see the module docstring.

    ``current`` names the conversation open in the thread (None: none);
    ``on_change`` is called after an answer changed :attr:`state`.
    """

    def __init__(
        self,
        hub: TeamHub,
        state: TeamState,
        *,
        current: Callable[[], str | None],
        on_change: Callable[[], None],
        interval: float = INTERVAL,
        typing_window: float = TYPING_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.hub = hub
        self.state = state
        self.current = current
        self.on_change = on_change
        self.interval = interval
        self.typing_window = typing_window
        self.clock = clock
        self._typed_at: float | None = None
        self._wake = asyncio.Event()
        self._failures = 0

    # ------------------------------------------------------------------ inputs

    @property
    def typing(self) -> bool:
        """Whether the agent counts as typing now."""
        if self._typed_at is None or self.current() is None:
            return False
        return self.clock() - self._typed_at < self.typing_window

    def typed(self, text: str) -> None:
        """The agent changed the composer's text to ``text`` (empty: she stopped)."""
        was = self.typing
        self._typed_at = self.clock() if text.strip() else None
        if self.typing != was:
            self.wake()

    def wake(self) -> None:
        """Report now (the open conversation or the typing state changed)."""
        self._wake.set()

    # ------------------------------------------------------------------ the loop

    async def run(self) -> None:
        """Report and refresh until cancelled."""
        while True:
            await self.round()
            await self._sleep()

    async def _sleep(self) -> None:
        timeout = self.interval
        if self._typed_at is not None and self.typing:
            # Wake when typing runs out, so "is typing…" stops on time.
            timeout = min(timeout, self._typed_at + self.typing_window - self.clock() + 0.01)
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), max(0.01, timeout))
        except asyncio.TimeoutError:
            pass

    async def round(self) -> None:
        """One report and one claims refresh; errors are logged, never raised."""
        conversation_id, typing = self.current(), self.typing
        try:
            doc = await self.hub.report_presence(conversation_id, typing)
            claims = await self.hub.claims()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._failures += 1
            if self._failures == 1:
                log.info("team presence: the hub did not answer: %r", exc)
            return
        if self._failures:
            log.info("team presence: the hub answers again")
        self._failures = 0
        changed = self.state.set_presence(doc)
        changed = self.state.set_claims(claims) or changed
        if changed:
            self.on_change()
