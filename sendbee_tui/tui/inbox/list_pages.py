"""The loaded pages of the conversation list's current view: fetch, merge, order.

A base class of :class:`~.list_sync.ListSync`, which builds the state declared
here.  User actions (switch folder, search) bump a *generation* counter so that
a request already in flight for the old view is discarded instead of
overwriting it.  Page 1 is re-read by every poll (:mod:`.list_polling`); later
pages load as the agent scrolls (:meth:`ListPages.load_more`).

The "window closing soonest" sort orders the whole folder, so while it is
chosen every page of the view is loaded (:meth:`ListPages.load_all`: several
requests at a time, one relayout per batch of pages).
"""

from __future__ import annotations

from sendbee_tui.api import Conversation, Page, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.tui.inbox.batches import ALL_PAGES_CONCURRENCY, apply_in_batches
from sendbee_tui.tui.inbox.connection import Connection
from sendbee_tui.tui.inbox.conversations import activity, model_id
from sendbee_tui.tui.inbox.early_request import EarlyRequest
from sendbee_tui.tui.inbox.ordering import SortKeys
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.unread import UnreadTally
from sendbee_tui.tui.inbox.view import ViewState
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["ALL_PAGES_LIMIT", "ListPages"]

#: Page size when every page is loaded at once (the API's largest).
ALL_PAGES_LIMIT = 100


class ListPages:
    """The pages of the current view the list has loaded, most recent first.

    :class:`~.list_sync.ListSync` sets the attributes below and implements the
    publishing hooks (what the list shows depends on its filters and search).
    """

    client: SendbeeClient
    settings: Settings
    connection: Connection
    previews: PreviewCache
    thread: ThreadSync
    view: ViewState
    #: Conversations of the current view by id; ``_order`` is most recent first.
    known: dict[str, Conversation]
    total: int
    counts: dict[str, int]
    #: Whether the last page merge changed what the list shows.
    view_changed: bool
    tally: UnreadTally
    _gen: int
    _order: list[str]
    _keys: SortKeys
    #: The view generation whose pages :meth:`load_all` is loading (None: none).
    _loading_all: int | None
    _pages_loaded: int
    _last_page: int
    #: The first poll's page, asked for before the screen was built (see start_early).
    _early: EarlyRequest[Page[Conversation]]

    def publish(self, keep_selection: bool = True, loading: bool = False) -> None:
        """Send the screen the rows and the unread count (ListSync implements it)."""
        raise NotImplementedError

    def _publish_rows(self, *, keep_selection: bool, loading: bool = False) -> None:
        raise NotImplementedError

    def publish_unread(self) -> None:
        raise NotImplementedError

    def has_more(self) -> bool:
        return self._pages_loaded < self._last_page

    def _wants_all(self) -> bool:
        """The view orders by window and pages of it are not loaded yet."""
        return self.view.sort == "window" and self.has_more()

    # ------------------------------------------------------------------ loading

    async def reload(self) -> None:
        """Fetch page 1 of the current view now (user action); stale polls are discarded."""
        self._gen += 1
        gen = self._gen
        self.thread.conversation  # noqa: B018 - remember the open one before clearing
        self.known.clear()
        self._order.clear()
        self._keys.clear()
        self._pages_loaded = 0
        self._early.discard()
        self.publish(keep_selection=False, loading=True)
        page = await self.connection.guarded(self._fetch_page(1))
        if page is None or gen != self._gen:
            return
        self._apply_page(page, 1, replace=True)
        self.publish(keep_selection=False)
        if self._wants_all():
            await self.load_all()

    async def load_more(self) -> None:
        """Load the next page of the current view (lazy paging on scroll)."""
        if not self.has_more():
            return
        gen = self._gen
        page_no = self._pages_loaded + 1
        page = await self.connection.guarded(self._fetch_page(page_no))
        if page is None or gen != self._gen or page_no != self._pages_loaded + 1:
            return
        self._apply_page(page, page_no, replace=False)
        self.publish()

    async def load_all(self) -> None:
        """Load every page of the current view (the window sort orders all of them).

        :data:`~.batches.ALL_PAGES_CONCURRENCY` requests are in flight, of the
        largest pages the API gives (:data:`ALL_PAGES_LIMIT`, whatever the view's
        page size: half the requests at the default 50); the pages that arrive
        together are merged and published as one (one relayout per batch).  A
        folder or search change meanwhile cancels the rest.
        """
        gen = self._gen
        if self._loading_all == gen:
            return  # already under way (one for an older view stops by itself)
        self._loading_all = gen
        size = self.settings.page_size
        limit = max(size, ALL_PAGES_LIMIT)
        page_no = 0

        def apply(batch: list[Page[Conversation]]) -> None:
            nonlocal page_no
            if gen != self._gen:
                return
            changed = False
            loaded = self._pages_loaded
            for page in batch:
                page_no += 1
                changed = self._merge_page(page, page_no, replace=False)[1] or changed
            # Back to the view's page size, which lazy paging and polls count in.
            self._pages_loaded = max(loaded, page_no * limit // size)
            self._last_page = max(1, -(-self.total // size))
            changed = self._reorder() or changed
            if changed:
                # The unread count follows at the end: counting thousands of rows
                # after every batch would cost more than the batch.
                self._publish_rows(keep_selection=True)

        try:
            pages = self.client.conversations.list_pages(
                folder=self.view.folder,
                search_query=self.view.search or None,
                limit=limit,
                concurrency=ALL_PAGES_CONCURRENCY,
            )
            await self.connection.guarded(
                apply_in_batches(pages, apply, stop=lambda: gen != self._gen)
            )
        finally:
            if self._loading_all == gen:
                self._loading_all = None
        if gen == self._gen:
            self.publish_unread()

    # ------------------------------------------------------------------ pages

    def _first_page_key(self) -> tuple[str, str]:
        return (self.view.folder, self.view.search)

    def start_early(self) -> None:
        """Ask for the first poll's page now (start-up: before the screen exists)."""
        if self._pages_loaded == 0:
            self._early.start(self._first_page_key(), self._fetch_page(1))

    async def _fetch_page(
        self, page: int, folder: str | None = None, *, search: bool = True
    ) -> Page[Conversation]:
        return await self.client.conversations.list(
            folder=folder or self.view.folder,
            search_query=(self.view.search or None) if search else None,
            page=page,
            limit=self.settings.page_size,
        )

    def _apply_page(
        self, page: Page[Conversation], page_no: int, *, replace: bool
    ) -> list[Conversation]:
        """Merge one page of conversations into the view. Returns the cleaned models."""
        items, changed = self._merge_page(page, page_no, replace=replace)
        changed = self._reorder() or changed
        # A poll that changed nothing must not re-send (and re-render) thousands of rows.
        self.view_changed = changed
        return items

    def _reorder(self) -> bool:
        """Sort the known conversations most recent first; True when the order changed."""
        order = self._keys.most_recent_first(self.known)
        changed = order != self._order
        self._order = order
        return changed

    def _merge_page(
        self, page: Page[Conversation], page_no: int, *, replace: bool
    ) -> tuple[list[Conversation], bool]:
        """Merge one page (without re-sorting): the cleaned models, and whether any changed."""
        items = [clean_model(c) for c in page.items]
        meta = page.meta
        self.total = meta.total or 0
        self._last_page = meta.last_page or 1
        self.counts[self.view.folder] = (
            self.total if not self.view.search else self.counts.get(self.view.folder, self.total)
        )
        changed = replace
        if replace:
            self.known.clear()
            self._order.clear()
        for conv in items:
            cid = model_id(conv)
            if self.known.get(cid) != conv:
                changed = True
                # An unchanged conversation keeps its object: the list's render cache
                # and the clock tick know a row by its model's identity.
                self.known[cid] = conv
        if page_no == 1 and not replace:
            changed = self._drop_departed(items) or changed
        self._pages_loaded = max(self._pages_loaded, page_no)
        self.tally.see(items)
        if page_no == 1 and not self.view.search:
            self.tally.set_head(self.view.folder, items, self.total)
        self.previews.queue_stale(items)
        return items, changed

    def _drop_departed(self, first_page: list[Conversation]) -> bool:
        """A poll of page 1: conversations that were at least as recent as the oldest
        row of the new page but are missing from it left this view."""
        ids = {model_id(c) for c in first_page}
        if first_page and len(first_page) >= self.settings.page_size:
            oldest = min(activity(c) for c in first_page)
            gone = [
                i
                for i in self._order
                if i not in ids and i in self.known and activity(self.known[i]) >= oldest
            ]
        else:
            gone = [i for i in self._order if i not in ids]
        changed = False
        for i in gone:
            if i != self.thread.current_id:
                self.known.pop(i, None)
                changed = True
        return changed
