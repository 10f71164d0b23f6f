"""Search in the message text of the conversations loaded so far.

The API searches conversations by name or phone only.  To find "the customer
who asked about invoice 2024" the inbox also looks through the text it already
has: the last-message previews of the rows it showed and the threads opened in
this session.  That is partial by nature — a message never loaded cannot be
found — and the list header says how many conversations the text search covered.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable

from sendbee_tui.api import Conversation, Message
from sendbee_tui.tui.inbox.conversations import model_id

__all__ = ["MAX_THREADS", "LocalSearch", "TextIndex", "fold", "name_matches"]

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


class LocalSearch:
    """Matches a query against what the inbox has loaded: names, phones, previews, threads.

    ``preview`` gives a row's cached preview; ``open_thread`` the open
    conversation's id and messages (its text is searched live, and kept in the
    :class:`TextIndex` when the agent leaves it: :meth:`leave_thread`).
    """

    def __init__(
        self,
        *,
        preview: Callable[[Conversation], str | None],
        open_thread: Callable[[], tuple[str | None, Iterable[Message]]],
    ) -> None:
        self.preview = preview
        self.open_thread = open_thread
        self.texts = TextIndex()

    def leave_thread(self) -> None:
        """The open thread is about to be left: keep its text."""
        conv_id, messages = self.open_thread()
        if conv_id:
            self.texts.remember(conv_id, messages)

    def text_matches(self, conv: Conversation, query: str) -> bool:
        """The folded ``query`` is in a loaded message of ``conv``."""
        cid = model_id(conv)
        open_id, messages = self.open_thread()
        if cid == open_id and any(m.body and query in fold(m.body) for m in messages):
            return True
        preview = self.preview(conv)
        if preview and query in fold(preview):
            return True
        return self.texts.thread_matches(cid, query)

    def matches(
        self, candidates: Iterable[Conversation], query: str, *, skip: set[str]
    ) -> list[Conversation]:
        """``candidates`` (but those in ``skip``) matching ``query`` by name, phone or text."""
        folded = fold(query)
        return [
            c
            for c in candidates
            if model_id(c) not in skip and (name_matches(c, folded) or self.text_matches(c, folded))
        ]

    def coverage(self, candidates: Iterable[Conversation]) -> int:
        """How many of ``candidates`` have any message text loaded to search in."""
        open_id, _ = self.open_thread()
        return sum(
            1
            for c in candidates
            if self.preview(c) or self.texts.has_thread(model_id(c)) or c.id == open_id
        )
