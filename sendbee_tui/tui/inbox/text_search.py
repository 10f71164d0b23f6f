"""Search in the message text of the conversations loaded so far.

The API searches conversations by name or phone only.  To find "the customer
who asked about invoice 2024" the inbox also looks through the text it already
has: the last-message previews of the rows it showed and the threads opened in
this session.  That is partial by nature — a message never loaded cannot be
found — and the list header says how many conversations the text search covered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from sendbee_tui.api import Conversation, Message

__all__ = ["MAX_THREADS", "TextIndex", "fold", "name_matches"]

#: Threads whose text is kept for search (least recently opened dropped first).
MAX_THREADS = 200
#: Messages kept per thread (the newest).
MAX_MESSAGES = 500


def fold(text: str) -> str:
    """Case- and space-insensitive form for matching (``casefold``, runs of spaces as one)."""
    return " ".join(text.casefold().split())


def name_matches(conv: Conversation, query: str) -> bool:
    """The folded ``query`` is in the contact's name, or its digits in the phone."""
    contact = conv.contact
    if query in fold(contact.name or ""):
        return True
    digits = "".join(ch for ch in query if ch.isdigit())
    return bool(digits) and digits in "".join(ch for ch in contact.phone or "" if ch.isdigit())


class TextIndex:
    """Folded message text of the threads opened in this session, by conversation id."""

    def __init__(self) -> None:
        self._threads: OrderedDict[str, tuple[str, ...]] = OrderedDict()

    def remember(self, conv_id: str, messages: Iterable[Message]) -> None:
        """Keep the text of a thread (called when the agent leaves it)."""
        bodies = [fold(m.body) for m in messages if m.body]
        if not bodies:
            return
        self._threads[conv_id] = tuple(bodies[-MAX_MESSAGES:])
        self._threads.move_to_end(conv_id)
        while len(self._threads) > MAX_THREADS:
            self._threads.popitem(last=False)

    def has_thread(self, conv_id: str) -> bool:
        return conv_id in self._threads

    def thread_matches(self, conv_id: str, query: str) -> bool:
        return any(query in body for body in self._threads.get(conv_id, ()))
