"""Last-message previews of the conversation list, fetched lazily and cached.

The list endpoint says *when* the last messages were, not what they said, so a
preview costs one messages request per conversation.  Only rows on screen ask
for one (:meth:`PreviewCache.request`), a background loop fetches them a few at
a time, and each stays cached under its :data:`~.conversations.PreviewKey`
until that conversation's last message changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from sendbee_tui.api import Conversation, Message, SendbeeClient
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.errors import is_connection_problem
from sendbee_tui.tui.inbox.connection import Connection, Post
from sendbee_tui.tui.inbox.conversations import (
    PreviewKey,
    last_inbound,
    last_outbound,
    message_preview,
    model_id,
    newest_message,
    preview_key,
)
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["PREVIEW_BATCH", "PreviewCache"]

log = logging.getLogger(__name__)

#: Previews fetched concurrently by the loop.
PREVIEW_BATCH = 4
#: What a failed fetch leaves behind: shown as empty, and stale for any real conversation.
_FAILED: tuple[PreviewKey, str] = ((None, None), "")


class PreviewCache:
    """Conversation id -> (key, preview text), plus the queue of rows that want one.

    ``lookup`` finds the current version of a conversation the list knows.
    """

    def __init__(
        self,
        *,
        client: SendbeeClient,
        connection: Connection,
        post: Post,
        lookup: Callable[[str], Conversation | None],
    ) -> None:
        self.client = client
        self.connection = connection
        self.post = post
        self.lookup = lookup
        #: Conversation id -> (the preview key it was fetched for, the text).
        self.entries: dict[str, tuple[PreviewKey, str]] = {}
        #: Ids waiting for a fetch, in request order (a dict as an ordered set).
        self.wanted: dict[str, None] = {}
        self._event = asyncio.Event()
        #: Cleared while the first rows are being painted (see :meth:`hold`).
        self._allowed = asyncio.Event()
        self._allowed.set()

    def hold(self) -> None:
        """Fetch nothing until :meth:`allow`: at start, the first rows are painted first.

        The rows on screen ask for their previews as they are drawn; sending those
        requests (and handling their answers) before the frame is out delays the
        first rows by ~10 ms for text that fills in a moment later anyway.
        """
        self._allowed.clear()

    def allow(self) -> None:
        """Fetch what is wanted from now on (undoes :meth:`hold`)."""
        self._allowed.set()

    def text(self, conv: Conversation) -> str | None:
        """Cached preview text, even if slightly stale (a newer one is on its way)."""
        entry = self.entries.get(model_id(conv))
        return entry[1] if entry else None

    def store(self, conv: Conversation, message: Message) -> None:
        """``message`` is the newest of ``conv`` (the open thread, a send): no fetch needed."""
        self.entries[model_id(conv)] = (preview_key(conv), message_preview(message))

    def kick(self) -> None:
        """Let the loop look at the queue again (after an outage ended)."""
        self._event.set()

    def queue_stale(self, convs: Iterable[Conversation]) -> None:
        """Re-queue previews of wanted rows whose last message changed."""
        queued = False
        for conv in convs:
            cid = model_id(conv)
            entry = self.entries.get(cid)
            if entry is not None and entry[0] != preview_key(conv):
                self.wanted[cid] = None
                queued = True
        if queued:
            self._event.set()

    def request(self, conv_ids: Iterable[str]) -> None:
        """Rows on screen without an up-to-date preview: fetch them (batched, cached)."""
        added = False
        for cid in conv_ids:
            conv = self.lookup(cid)
            if conv is None:
                continue
            entry = self.entries.get(cid)
            stale = entry is None or entry[0] != preview_key(conv)
            if stale and cid not in self.wanted:
                self.wanted[cid] = None
                added = True
        if added:
            self._event.set()

    async def fetch(self, conv_id: str, conv: Conversation | None = None) -> None:
        """Fetch the newest message of one conversation now (raises on failure)."""
        conv = conv or self.lookup(conv_id)
        if conv is None:
            return
        key = preview_key(conv)
        if last_inbound(conv) is None and last_outbound(conv) is None:
            self.entries[conv_id] = (key, "")
            return
        page = await self.client.conversations.messages(conv_id, page=1)
        items = [clean_model(m) for m in page.items]
        text = message_preview(newest_message(items)) if items else ""
        self.entries[conv_id] = (key, text)

    async def loop(self) -> None:
        """Fetch wanted previews a few at a time; never more than one request per row."""
        while True:
            await self._event.wait()
            await self._allowed.wait()
            self._event.clear()
            while self.wanted and self.connection.healthy:
                batch = list(self.wanted)[:PREVIEW_BATCH]
                for cid in batch:
                    self.wanted.pop(cid, None)
                results = await asyncio.gather(
                    *(self.fetch(cid) for cid in batch), return_exceptions=True
                )
                for cid, res in zip(batch, results, strict=True):
                    if isinstance(res, BaseException):
                        if isinstance(res, asyncio.CancelledError):
                            raise res
                        if is_connection_problem(res):
                            self.connection.went_offline(res)
                        log.debug("preview %s failed: %s", cid, res)
                        self.entries.setdefault(cid, _FAILED)
                self.post(msg.PreviewsChanged(frozenset(batch)))
