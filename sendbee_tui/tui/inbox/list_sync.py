"""The conversation list: the current view, what it shows, unread marks.

:class:`ListSync` is built from two base classes, one module each:
:mod:`.list_pages` (the view's loaded pages, lazy paging, every page for the
"window closing soonest" sort; a *generation* counter discards requests for a
view the agent has left) and :mod:`.list_polling` (page 1 and the folder totals
kept in step with the server, new inbound detected).  This module builds their
state and adds the user's view changes and what the list shows.

What the list shows is the view's pages, plus — during a search — the loaded
conversations whose name, phone or message text matches (:mod:`.text_search`),
narrowed by the unread filter and the :class:`~.filters.ListFilter`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from sendbee_tui.api import Conversation, Page, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox.arrivals import Arrivals
from sendbee_tui.tui.inbox.connection import Clock, Connection, Post
from sendbee_tui.tui.inbox.conversations import activity, last_inbound, model_id
from sendbee_tui.tui.inbox.early_request import EarlyRequest
from sendbee_tui.tui.inbox.filters import (
    ClaimCheck,
    ListFilter,
    TaggedContacts,
    tagged_contacts,
)
from sendbee_tui.tui.inbox.filters import apply as apply_filter
from sendbee_tui.tui.inbox.list_pages import ALL_PAGES_LIMIT
from sendbee_tui.tui.inbox.list_polling import COUNTS_EVERY, ListPolling
from sendbee_tui.tui.inbox.local_state import LocalStore
from sendbee_tui.tui.inbox.ordering import SortKeys
from sendbee_tui.tui.inbox.previews import PreviewCache
from sendbee_tui.tui.inbox.text_search import LocalSearch
from sendbee_tui.tui.inbox.thread_sync import ThreadSync
from sendbee_tui.tui.inbox.unread import UnreadSummary, UnreadTally
from sendbee_tui.tui.inbox.view import ViewState, load_view, save_view

__all__ = ["ALL_PAGES_LIMIT", "COUNTS_EVERY", "ListSync"]

log = logging.getLogger(__name__)


class ListSync(ListPolling):
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
