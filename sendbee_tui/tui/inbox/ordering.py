"""The two orders of the conversation list, with sort keys computed once per model.

"Most recent first" sorts by :func:`~.conversations.activity`; "window closing
soonest" puts the open 24-hour windows first, the one closing soonest on top,
then the closed ones, most recent first.  With every page of a 6,000-row folder
loaded, the list is re-sorted after each batch of pages, and reading three
timestamps per row per sort cost more than the sort itself.  The models are
immutable, so :class:`SortKeys` keeps each row's keys with the object they were
computed from and recomputes them only for a new version of the conversation.
"""

from __future__ import annotations

from collections.abc import Iterable

from sendbee_tui.api import Conversation
from sendbee_tui.tui.inbox.conversations import WINDOW_SECONDS, activity, last_inbound, model_id

__all__ = ["SortKeys"]


class SortKeys:
    """Sort keys of conversations by id, each kept with the model it came from."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[Conversation, float, float | None]] = {}

    def clear(self) -> None:
        """Forget every key (the list was emptied)."""
        self._keys.clear()

    def _of(self, conv: Conversation) -> tuple[Conversation, float, float | None]:
        """(conv, -activity, last inbound), computed once per model."""
        cid = model_id(conv)
        cached = self._keys.get(cid)
        if cached is None or cached[0] is not conv:
            cached = self._keys[cid] = (conv, -activity(conv), last_inbound(conv))
        return cached

    def most_recent_first(self, known: dict[str, Conversation]) -> list[str]:
        """The ids of ``known``, most recent activity first."""
        of = self._of
        return sorted(known, key=lambda i: of(known[i])[1])

    def window_first(self, convs: Iterable[Conversation], now: float) -> list[Conversation]:
        """``convs`` with the open windows first, closing soonest first, then the rest
        most recent first.

        Ordering open windows by their customer's last message is ordering them by
        the time left (``last inbound + 24 h - now``), without a subtraction per row.
        """
        opened_after = now - WINDOW_SECONDS
        of = self._of

        def key(conv: Conversation) -> tuple[int, float]:
            _conv, recent, inbound = of(conv)
            if inbound is not None and inbound > opened_after:
                return (0, inbound)
            return (1, recent)

        return sorted(convs, key=key)
