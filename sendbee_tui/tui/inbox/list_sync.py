"""The conversation list: the current view, its pages, polling, unread marks.

User actions (switch folder, search) bump a *generation* counter so that a
poll already in flight for the old view is discarded instead of overwriting
it.  Page 1 is polled; later pages load as the agent scrolls (:meth:`ListSync.
load_more`).  New customer messages are detected on every poll, in the open
folder even while another view is shown (:mod:`.arrivals`).  The first page of
every folder is re-read with the folder totals, for the account-wide unread
count (:mod:`.unread`).

The "window closing soonest" sort orders the whole folder, so while it is
chosen every page of the view is loaded (:meth:`ListSync.load_all`: several
requests at a time, one relayout per batch of pages).

What the list shows is the view's pages, plus — during a search — the loaded
conversations whose name, phone or message text matches (:mod:`.text_search`),
narrowed by the unread filter and the :class:`~.filters.ListFilter`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from sendbee_tui.api import AuthenticationError, Conversation, Page, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.inbox.arrivals import Arrivals
from sendbee_tui.tui.inbox.batches import ALL_PAGES_CONCURRENCY, apply_in_batches
from sendbee_tui.tui.inbox.connection import Clock, Connection, Post, sleep_or_wake
from sendbee_tui.tui.inbox.conversations import (
    FOLDERS,
    activity,
    last_inbound,
    model_id,
)
from sendbee_tui.tui.inbox.early_request import EarlyRequest
from sendbee_tui.tui.inbox.filters import (
    ClaimCheck,
    ListFilter,
    TaggedContacts,
    tagged_contacts,
)
from sendbee_tui.tui.inbox.filters import apply as apply_filter
from sendbee_tui.tui.inbox.local_state import LocalStore
from sendbee_tui.tui.inbox.ordering import SortKeys
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.text_search import LocalSearch
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.unread import UnreadSummary, UnreadTally
from sendbee_tui.tui.inbox.view import ViewState, load_view, save_view
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["ALL_PAGES_LIMIT", "COUNTS_EVERY", "ListSync"]

log = logging.getLogger(__name__)

#: Folder totals are re-read on the first poll and every this many polls.
COUNTS_EVERY = 6
#: Page size when every page is loaded at once (the API's largest).
ALL_PAGES_LIMIT = 100


class ListSync:
    """Conversations of the current view, kept in step with the server."""

    def __init__(
        self,
        *,
        client: SendbeeClient,
        settings: Settings,
        state: LocalStore,
        post: Post,
        clock: Clock,
        connection: Connection,
        previews: PreviewCache,
        thread: ThreadSync,
    ) -> None:
        self.client = client
        self.settings = settings
        self.state = state
        self.post = post
        self.clock = clock
        self.connection = connection
        self.previews = previews
        self.thread = thread
        self.view: ViewState = load_view(state)
        self._gen = 0
        #: Conversations of the current view by id; ``_order`` is most recent first.
        self.known: dict[str, Conversation] = {}
        self._order: list[str] = []
        self._keys = SortKeys()
        #: The view generation whose pages :meth:`load_all` is loading (None: none).
        self._loading_all: int | None = None
        self._pages_loaded = 0
        self._last_page = 1
        self.total = 0
        self.counts: dict[str, int] = {}
        self._poll_count = 0
        #: Whether the last page merge changed what the list shows.
        self.view_changed = False
        self._unread: UnreadSummary | None = None
        self._wake = asyncio.Event()
        #: The first poll's page, asked for before the screen was built (see start_early).
        self._early: EarlyRequest[Page[Conversation]] = EarlyRequest()
        #: Unread is counted over every folder's first page plus the loaded pages.
        self.tally = UnreadTally(self.is_unread)
        #: Tag, chatbot and window filter; the contacts of the filtered tag.
        self.filter = ListFilter()
        self.tagged: TaggedContacts | None = None
        #: Team sessions: who holds which conversation, for the claim filter.
        self.claim_check: ClaimCheck | None = None
        #: The search in what is loaded (names, previews, threads opened this session).
        self.search = LocalSearch(
            preview=previews.text,
            open_thread=lambda: (thread.current_id, thread.messages.values()),
        )
        self.arrivals = Arrivals(
            settings=settings, state=state, post=post, clock=clock, connection=connection
        )

    def gap_began(self) -> None:
        """The connection lost sight of the server: remember what the inbox has seen."""
        self.arrivals.remember(self._watched())

    def _watched(self) -> dict[str, Conversation]:
        """What the catch-up compares: every folder's first page and the loaded pages."""
        return {model_id(c): c for c in self.tally.conversations(self.known)}

    # ------------------------------------------------------------------ queries

    def is_unread(self, conv: Conversation) -> bool:
        """Unread per the local marks; the open conversation never is."""
        if conv.id == self.thread.current_id:
            return False
        try:
            return self.state.is_unread(model_id(conv), last_inbound(conv) or 0.0)
        except Exception:  # pragma: no cover - defensive: state must never crash the list
            log.exception("is_unread failed")
            return False

    def rows(self) -> list[Conversation]:
        """Conversations of the current view in display order, filters applied."""
        convs = [self.known[i] for i in self._order if i in self.known]
        if self.view.search:
            convs = self._with_local_matches(convs)
        current = self.thread.current_id
        if self.view.unread_only:
            convs = [c for c in convs if self.is_unread(c) or c.id == current]
        convs = apply_filter(
            convs, self.filter, now=self.clock(), tagged=self.tagged, claimed=self.claim_check
        )
        if self.view.sort == "window":
            convs = self._keys.window_first(convs, self.clock())
        return convs

    # ------------------------------------------------------------------ search

    def _searchable(self) -> list[Conversation]:
        """Loaded conversations of the view's folder: what the local search looks through."""
        folder = self.view.folder
        return [c for c in self.tally.latest.values() if c.folder == folder]

    def _with_local_matches(self, server: list[Conversation]) -> list[Conversation]:
        """The server's name/phone results plus loaded conversations matching locally
        (name, phone or message text), most recent first."""
        skip = {model_id(c) for c in server}
        local = self.search.matches(self._searchable(), self.view.search, skip=skip)
        if not local:
            return server
        return sorted(server + local, key=lambda c: -activity(c))

    def text_coverage(self) -> int:
        """How many conversations of the folder the message-text search could look into."""
        return self.search.coverage(self._searchable())

    # ------------------------------------------------------------------ filters

    async def set_filter(self, wanted: ListFilter) -> None:
        """Narrow the list; a new tag first loads the contacts that carry it."""
        self.filter = wanted
        if wanted.tag is None:
            self.tagged = None
        elif self.tagged is None or self.tagged.tag != wanted.tag:
            self.tagged = None
            self.publish(keep_selection=True, loading=True)
            try:
                tagged = await self.connection.guarded(tagged_contacts(self.client, wanted.tag))
            except Exception:
                tagged = None
                raise  # the app reports it; the finally below drops the tag filter
            finally:
                if self.filter.tag == wanted.tag:
                    if tagged is None:
                        # Without its contacts the tag filter would show nothing at all.
                        self.filter = self.filter.replace(tag=None)
                    self.tagged = tagged
                    self.publish()
            return
        self.publish()

    def unread_summary(self) -> UnreadSummary:
        """The account-wide unread count (every folder), not just the view's."""
        return self.tally.summary(
            self.known, loaded_folder=None if self.view.search else self.view.folder
        )

    def unread_count(self) -> int:
        return self.unread_summary().total

    def unread_ids(self) -> list[str]:
        """Ids of the unread conversations counted in :meth:`unread_summary`."""
        return self.tally.unread_ids(self.known)

    def has_more(self) -> bool:
        return self._pages_loaded < self._last_page

    # ------------------------------------------------------------------ publishing

    def publish(self, keep_selection: bool = True, loading: bool = False) -> None:
        """Send the screen the rows of the view (and the unread count if it changed)."""
        self._publish_rows(keep_selection=keep_selection, loading=loading)
        self.publish_unread()

    def _publish_rows(self, *, keep_selection: bool, loading: bool = False) -> None:
        self.post(
            msg.ConversationsChanged(
                folder=self.view.folder,
                rows=self.rows(),
                total=self.total,
                has_more=self.has_more(),
                keep_selection=keep_selection,
                loading=loading,
            )
        )

    def publish_unread(self) -> None:
        summary = self.unread_summary()
        if summary != self._unread:
            self._unread = summary
            self.post(
                msg.UnreadChanged(
                    summary.total, by_folder=dict(summary.by_folder), partial=summary.partial
                )
            )

    # ------------------------------------------------------------------ view changes

    def set_sort(self, sort: str) -> None:
        """Change the order; the window sort then loads the folder's other pages (the
        polling loop does, right away)."""
        self.view.sort = sort
        save_view(self.state, self.view)
        self.publish()
        if self._wants_all():
            self.wake()

    def _wants_all(self) -> bool:
        """The view orders by window and pages of it are not loaded yet."""
        return self.view.sort == "window" and self.has_more()

    def set_unread_only(self, unread_only: bool) -> None:
        self.view.unread_only = unread_only
        save_view(self.state, self.view)
        self.publish()

    async def set_folder(self, folder: str) -> None:
        self.view.folder = folder
        save_view(self.state, self.view)
        await self.reload()

    async def set_search(self, query: str) -> None:
        self.view.search = query.strip()
        await self.reload()

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

    # ------------------------------------------------------------------ polling

    def wake(self) -> None:
        """Poll now (after the current request)."""
        self._wake.set()

    async def loop(self) -> None:
        """Poll the conversation list forever: await the request, then sleep.

        A loop rather than a timer: a short timer that starts an exclusive worker
        cancels its own in-flight request whenever the server is slower than the
        interval, while a loop can neither pile requests up nor cancel itself.
        """
        while True:
            try:
                # The window sort wants every page: asked for (``s``) before the poll,
                # learned from the poll (the first one tells how many pages there are).
                if self._wants_all():
                    await self.load_all()
                await self.poll()
                if self._wants_all():
                    await self.load_all()
            except asyncio.CancelledError:
                raise
            except AuthenticationError as exc:
                # Wrong key/secret: polling harder will not help; say what will.
                log.warning("credentials rejected: %s", describe_error(exc))
                self.connection.credentials_rejected(exc)
            except Exception as exc:
                log.exception("list poll failed")
                self.connection.report_error(exc)
            delay = self.connection.backoff(self.settings.poll_list_seconds)
            self.connection.report_waiting(delay)
            await sleep_or_wake(delay, self._wake)

    async def poll(self) -> None:
        """One poll: page 1 of the view (+ the open folder for new inbound), sometimes counts."""
        gen = self._gen
        self._poll_count += 1
        sent_at = self.clock()
        early = self._early.take(self._first_page_key())
        page = await self.connection.guarded(early or self._fetch_page(1))
        if page is None:
            return
        extra: list[Conversation] = []
        if self.view.folder != "open" or self.view.search:
            # New inbound messages land in Open: watch it even while another view is shown.
            open_page = await self.connection.guarded(
                self._fetch_page(1, folder="open", search=False)
            )
            if open_page is not None:
                extra = [clean_model(c) for c in open_page.items]
                self.tally.set_head("open", extra, open_page.meta.total or 0)
        if gen != self._gen:
            return
        first = self._pages_loaded == 0
        items = self._apply_page(page, 1, replace=first)
        changed = self.view_changed
        fresh = self.arrivals.detect(items + extra, open_id=self.thread.current_id)
        if fresh and self.thread.current_id in {c.id for c in fresh}:
            self.thread.wake()
        if self.arrivals.gap_open:
            since = self.connection.gap_since
            if since is not None and since > sent_at:
                # The gap began while this poll was in flight: its page predates the
                # gap (and was announced above), so it is no news from the gap.
                self.arrivals.remember(self._watched())
            elif self.connection.healthy:
                self.arrivals.summarise(self._watched())
        if changed or fresh:
            self.publish(keep_selection=not first)
        else:
            self.publish_unread()
        if fresh:
            await self._announce(fresh)
        if self._poll_count == 1 or self._poll_count % COUNTS_EVERY == 0:
            await self.refresh_counts()

    async def refresh_counts(self) -> None:
        """Totals of every folder for the tabs, and each folder's first page for the
        unread count (one request per folder other than the one on screen)."""
        counts: dict[str, int] = {}
        for folder in FOLDERS:
            if folder == self.view.folder and not self.view.search:
                counts[folder] = self.total
                continue
            page = await self.connection.guarded(
                self.client.conversations.list(folder=folder, page=1, limit=self.settings.page_size)
            )
            if page is None:
                return
            counts[folder] = page.meta.total or 0
            self.tally.set_head(folder, [clean_model(c) for c in page.items], counts[folder])
        self.counts = counts
        self.post(msg.FolderCounts(dict(counts)))
        self.publish_unread()

    async def _announce(self, fresh: list[Conversation]) -> None:
        """Fetch the new messages' previews (a few) so the notification can quote them."""
        for conv in fresh[:3]:
            try:
                await self.previews.fetch(model_id(conv), conv)
            except Exception as exc:
                log.debug("preview for notification failed: %s", exc)
        self.previews.queue_stale(fresh)
        self.post(msg.NewInbound(conversations=fresh))
        self.post(msg.PreviewsChanged(frozenset(model_id(c) for c in fresh)))

    # ------------------------------------------------------------------ changes

    def apply_conversation(self, conv: Conversation) -> None:
        """One conversation changed (moved, chatbot, refreshed): update the view."""
        self.thread.remember(conv)
        self.tally.see([conv])
        cid = model_id(conv)
        in_view = conv.folder == self.view.folder or self.view.search
        if in_view:
            self.known[cid] = conv
            if cid not in self._order:
                self._order.insert(0, cid)
            self._order.sort(key=lambda i: -activity(self.known[i]))
        elif cid in self.known and cid != self.thread.current_id:
            self.known.pop(cid, None)
            self._order = [i for i in self._order if i != cid]
        else:
            self.known[cid] = conv
        self.post(msg.ConversationUpdated(conv))
        self.publish()

    def replace_known(self, convs: Iterable[Conversation]) -> None:
        """Newer versions of known conversations (no folder change): update, republish."""
        for conv in convs:
            cid = model_id(conv)
            if cid in self.known:
                self.known[cid] = conv
            if cid in self.tally.latest:
                self.tally.see([conv])
            self.thread.remember(conv)
        self.publish()

    def mark_unread(self, conv_id: str) -> None:
        try:
            self.state.mark_unread(conv_id)
        except Exception:
            log.exception("mark_unread failed")
        self.publish()

    def mark_all_read(self) -> None:
        """Everything up to now counts as read (``A``), like mutt's catch-up."""
        try:
            self.state.mark_all_read(self.clock())
        except Exception:
            log.exception("mark_all_read failed")
        self.publish()
