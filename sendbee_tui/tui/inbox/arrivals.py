"""What arrived: new customer messages between two polls, and everything across a gap.

Both are read off the conversation list alone (its last-message times), so
noticing a new message costs no request beyond the poll itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from sendbee_tui.api import Conversation
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.connection import Clock, Connection, Post
from sendbee_tui.tui.inbox.conversations import (
    PreviewKey,
    format_duration,
    last_inbound,
    model_id,
    preview_key,
    ts,
)
from sendbee_tui.tui.inbox.local_state import LocalStore

__all__ = ["Arrivals", "plural"]


class Arrivals:
    """New-inbound detection across every view, and the catch-up summary after a gap."""

    def __init__(
        self,
        *,
        settings: Settings,
        state: LocalStore,
        post: Post,
        clock: Clock,
        connection: Connection,
    ) -> None:
        self.settings = settings
        self.state = state
        self.post = post
        self.clock = clock
        self.connection = connection
        # Last inbound time of every conversation ever seen, in any folder.
        self._seen_inbound: dict[str, float | None] = {}
        self._initialised = False
        self._before_gap: dict[str, PreviewKey] | None = None

    def detect(self, convs: list[Conversation], *, open_id: str | None) -> list[Conversation]:
        """Conversations in ``convs`` with a customer message newer than the last poll saw.

        The first call only learns what exists.  A conversation seen for the
        first time counts when its message is from the last couple of polls.
        Each one found (except the open one) is marked unread explicitly:
        timestamps have whole-second resolution, so a comparison with the read
        mark alone can miss a message.
        """
        fresh: list[Conversation] = []
        now = self.clock()
        recent = now - 2 * self.settings.poll_list_seconds - 60
        for conv in convs:
            cid = model_id(conv)
            inbound = last_inbound(conv)
            had = cid in self._seen_inbound
            before = self._seen_inbound.get(cid)
            self._seen_inbound[cid] = inbound
            if not self._initialised or inbound is None:
                continue
            if (had and (before is None or inbound > before)) or (not had and inbound > recent):
                fresh.append(conv)
        self._initialised = True
        for conv in fresh:
            if conv.id != open_id:
                with contextlib.suppress(Exception):
                    self.state.mark_unread(model_id(conv))
        return fresh

    # ------------------------------------------------------------------ gaps

    def remember(self, known: Mapping[str, Conversation]) -> None:
        """A gap begins: note what the inbox has seen, to compare after it.

        Called again when a poll that was already in flight as the gap began
        brings its page: what it holds predates the gap (and was announced as
        it arrived), so it must not be reported as news from the gap.
        """
        self._before_gap = {cid: preview_key(c) for cid, c in known.items()}

    @property
    def gap_open(self) -> bool:
        """A gap began and was not summarised yet."""
        return self._before_gap is not None

    def summarise(self, known: Mapping[str, Conversation]) -> None:
        """Post one line on what changed during the gap (the first full poll after it).

        ``known`` must cover the same conversations :meth:`remember` saw (every
        folder's first page plus the loaded pages).  A conversation the inbox had
        not seen before counts only if it was created, or the customer wrote,
        after the gap began; otherwise it is an old conversation that merely
        came into view and says nothing about the gap.
        """
        before = self._before_gap or {}
        self._before_gap = None
        since = self.connection.gap_since
        gap = self.connection.end_gap()
        since = since if since is not None else self.clock() - gap
        new_inbound = replies = new_convs = 0
        for cid, conv in known.items():
            key = preview_key(conv)
            if cid in before:
                if key == before[cid]:
                    continue
                if (last_inbound(conv) or 0.0) > (before[cid][0] or 0.0):
                    new_inbound += 1
                else:
                    replies += 1
                continue
            created = ts(conv.created_at)
            if created is not None and created >= since:
                new_convs += 1
            elif (last_inbound(conv) or 0.0) >= since:
                new_inbound += 1
        parts = []
        if new_inbound:
            parts.append(f"{plural(new_inbound, 'conversation')} with new customer messages")
        if replies:
            parts.append(f"{replies} with new replies")
        if new_convs:
            parts.append(plural(new_convs, "new conversation"))
        what = ", ".join(parts) if parts else "nothing changed"
        self.post(msg.CatchUp(f"Back online after {format_duration(gap)}: {what}."))


def plural(count: int, noun: str) -> str:
    """``1 conversation``, ``2 conversations`` (no "(s)")."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
