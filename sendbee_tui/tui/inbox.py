"""InboxService: the inbox's data layer (polling, caches, unread marks, sending).

No widgets live here.  The app runs three long-lived async workers over this
service (:meth:`list_loop`, :meth:`thread_loop`, :meth:`preview_loop`); each one
awaits its request, then sleeps.  That is deliberate: a short timer that starts an
exclusive worker cancels its own in-flight request whenever the server is slower
than the interval and so never completes, while a loop cannot pile up requests
and cannot cancel itself.  User actions (switch folder, search, open) run in
their own exclusive workers and bump a *generation* counter so that a poll that
was already in flight for the old view is discarded instead of overwriting it.

Results reach the widgets as :mod:`~sendbee_tui.tui.messages` through the
``post`` callback.  Every model is cleaned exactly once here, where it enters
from the API (:func:`~sendbee_tui.tui.safe_text.clean_model`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from textual.message import Message as TMessage

from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.errors import describe_error, is_connection_problem
from sendbee_tui.tui.safe_text import clean, clean_model

log = logging.getLogger(__name__)

FOLDERS: tuple[str, ...] = ("open", "done", "spam", "notified")
WINDOW_SECONDS = 24 * 3600
MAX_BACKOFF = 60.0
PREVIEW_BATCH = 4


# --------------------------------------------------------------------------- helpers


def ts(value: datetime | float | int | None) -> float | None:
    """Epoch seconds of an API timestamp (tz-aware datetime), or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return value.timestamp()


def last_inbound(conv: Any) -> float | None:
    """Epoch of the customer's last message in ``conv`` (None if never)."""
    lm = getattr(conv, "last_message", None)
    return ts(getattr(lm, "inbound_sent_at", None)) if lm is not None else None


def last_outbound(conv: Any) -> float | None:
    lm = getattr(conv, "last_message", None)
    return ts(getattr(lm, "outbound_sent_at", None)) if lm is not None else None


def activity(conv: Any) -> float:
    """Most recent activity of a conversation: what "most recent first" sorts by."""
    return max(last_inbound(conv) or 0.0, last_outbound(conv) or 0.0, ts(conv.created_at) or 0.0)


def window_left(conv: Any, now: float) -> float | None:
    """Seconds left in the 24-hour customer care window, or None when it is closed."""
    inbound = last_inbound(conv)
    if inbound is None:
        return None
    left = inbound + WINDOW_SECONDS - now
    return left if left > 0 else None


def preview_key(conv: Any) -> tuple[float | None, float | None]:
    """What must change for a cached preview to be stale."""
    return (last_inbound(conv), last_outbound(conv))


def message_preview(message: Any) -> str:
    """One-line preview of a message: body, or ``[type] url`` for media."""
    body = (message.body or "").strip()
    media = message.media_type or "text"
    if media != "text" and message.media_url:
        body = f"[{media}] {body}".strip() if body else f"[{media}] {message.media_url}"
    elif media != "text":
        body = f"[{media}] {body}".strip()
    first = " ".join(body.split())
    direction = (message.direction or "").lower()
    if direction == "outbound":
        first = "You: " + first
    return first


# --------------------------------------------------------------------------- local state


class ReadState(Protocol):
    """The part of :class:`sendbee_tui.state.LocalState` the inbox uses."""

    def get_draft(self, conv_id: str) -> str: ...
    def set_draft(self, conv_id: str, text: str) -> None: ...
    def mark_read(self, conv_id: str, last_message_ts: float) -> None: ...
    def mark_unread(self, conv_id: str) -> None: ...
    def is_unread(self, conv_id: str, last_inbound_ts: float) -> bool: ...


class MemoryState:
    """In-memory stand-in with the LocalState interface (tests, or when the state file fails).

    A conversation never opened counts as read up to the moment this state was
    created, so a first start does not flag every old conversation unread.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._baseline = clock()
        self._read: dict[str, float] = {}
        self._unread: set[str] = set()
        self._drafts: dict[str, str] = {}

    def get_draft(self, conv_id: str) -> str:
        return self._drafts.get(conv_id, "")

    def set_draft(self, conv_id: str, text: str) -> None:
        if text:
            self._drafts[conv_id] = text
        else:
            self._drafts.pop(conv_id, None)

    def mark_read(self, conv_id: str, last_message_ts: float) -> None:
        self._unread.discard(conv_id)
        self._read[conv_id] = max(self._read.get(conv_id, 0.0), last_message_ts)

    def mark_unread(self, conv_id: str) -> None:
        self._unread.add(conv_id)

    def is_unread(self, conv_id: str, last_inbound_ts: float) -> bool:
        if conv_id in self._unread:
            return True
        return last_inbound_ts > self._read.get(conv_id, self._baseline)

    def flush(self) -> None:
        """Nothing to write."""


def open_local_state(data_dir: Path, profile_name: str, clock: Callable[[], float]) -> Any:
    """LocalState from ``sendbee_tui.state`` when available, else the in-memory stand-in."""
    try:
        from sendbee_tui.state import LocalState
    except ImportError:
        log.info("sendbee_tui.state not available; drafts and read marks kept in memory")
        return MemoryState(clock)
    try:
        return LocalState(data_dir, profile_name, clock=clock)
    except Exception:  # a broken state file must not keep the inbox from starting
        log.exception("could not open local state in %s; using memory", data_dir)
        return MemoryState(clock)


# --------------------------------------------------------------------------- service


@dataclass
class _ViewState:
    folder: str = "open"
    search: str = ""
    sort: str = "recent"  # or "window"
    unread_only: bool = False


class InboxService:
    """Polling, caching and actions for the inbox.  Owns no widgets.

    ``client`` is a :class:`sendbee_tui.api.SendbeeClient`; ``post`` delivers
    :mod:`~sendbee_tui.tui.messages` to the screen.
    """

    def __init__(
        self,
        client: Any,
        *,
        settings: Settings,
        state: Any,
        post: Callable[[TMessage], Any],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.settings = settings
        self.state = state
        self.post = post
        self.clock = clock
        self.view = _ViewState()
        self._restore_view()
        self._gen = 0
        # Conversations of the current view, by id, and the page bookkeeping.
        self.known: dict[str, Any] = {}
        self._order: list[str] = []
        self._pages_loaded = 0
        self._last_page = 1
        self.total = 0
        self.counts: dict[str, int] = {}
        # Everything ever seen (for new-inbound detection across folders).
        self._seen_inbound: dict[str, float | None] = {}
        self._initialised = False
        # Previews: conv id -> (key, text).  Wanted = rows on screen.
        self.previews: dict[str, tuple[tuple[float | None, float | None], str]] = {}
        self._preview_wanted: dict[str, None] = {}
        self._preview_event = asyncio.Event()
        self._wake_list = asyncio.Event()
        self._wake_thread = asyncio.Event()
        # Open thread.
        self.current_id: str | None = None
        self._current_conv: Any | None = None
        self.thread: dict[str, Any] = {}  # message id -> Message, for the open conversation
        self._thread_pages = 0
        self._thread_last_page = 1
        self._loading_older = False
        self.contacts: dict[str, Any] = {}  # contact id -> Contact
        # Team member replies are sent as (the composer's Ctrl+G); None = the API's default.
        self.send_agent_id: str | None = None
        # Connection.
        self.connection = "connecting"
        self.last_sync: float | None = None
        self._failures = 0
        self._offline_since: float | None = None
        self._snapshot_before_gap: dict[str, tuple[float | None, float | None]] | None = None
        self._poll_count = 0
        self._offline_detail = ""
        self.view_changed = False
        self._unread_count = -1
        self._sent_once: set[str] = set()
        self._echo_ids: set[str] = set()

    # ------------------------------------------------------------------ remembered view

    def _restore_view(self) -> None:
        """Folder, sort and filter as the agent left them (LocalState settings)."""
        get = getattr(self.state, "get_setting", None)
        if get is None:
            return
        try:
            folder = get("inbox.folder", "open")
            sort = get("inbox.sort", "recent")
            unread_only = get("inbox.unread_only", False)
        except Exception:
            log.exception("could not read view settings")
            return
        if folder in FOLDERS:
            self.view.folder = folder
        if sort in ("recent", "window"):
            self.view.sort = sort
        self.view.unread_only = bool(unread_only)

    def _remember_view(self) -> None:
        put = getattr(self.state, "set_setting", None)
        if put is None:
            return
        try:
            put("inbox.folder", self.view.folder)
            put("inbox.sort", self.view.sort)
            put("inbox.unread_only", self.view.unread_only)
        except Exception:
            log.exception("could not save view settings")

    # ------------------------------------------------------------------ queries

    @property
    def current_conversation(self) -> Any | None:
        """The open conversation (cleaned model) or None.

        Kept even when the list switches to a folder or search that does not
        contain it, so actions on the open thread never fall through to another row.
        """
        if not self.current_id:
            return None
        conv = self.known.get(self.current_id)
        if conv is not None:
            self._current_conv = conv
        return self._current_conv

    def conversation(self, conv_id: str) -> Any | None:
        conv = self.known.get(conv_id)
        if conv is None and conv_id == self.current_id:
            return self._current_conv
        return conv

    def preview(self, conv: Any) -> str | None:
        """Cached preview text, even if slightly stale (a newer one is on its way)."""
        entry = self.previews.get(conv.id)
        return entry[1] if entry else None

    def is_unread(self, conv: Any) -> bool:
        inbound = last_inbound(conv)
        if conv.id == self.current_id:
            return False
        try:
            return bool(self.state.is_unread(conv.id, inbound or 0.0))
        except Exception:  # pragma: no cover - defensive: state must never crash the list
            log.exception("is_unread failed")
            return False

    def rows(self) -> list[Any]:
        """Conversations of the current view in display order, filters applied."""
        convs = [self.known[i] for i in self._order if i in self.known]
        if self.view.unread_only:
            convs = [c for c in convs if self.is_unread(c) or c.id == self.current_id]
        if self.view.sort == "window":
            now = self.clock()

            def key(c: Any) -> tuple[int, float]:
                left = window_left(c, now)
                return (0, left) if left is not None else (1, -activity(c))

            convs.sort(key=key)
        return convs

    def unread_count(self) -> int:
        return sum(1 for c in self.known.values() if self.is_unread(c))

    def has_more(self) -> bool:
        return self._pages_loaded < self._last_page

    def get_draft(self, conv_id: str) -> str:
        try:
            return self.state.get_draft(conv_id) or ""
        except Exception:
            log.exception("get_draft failed")
            return ""

    def set_draft(self, conv_id: str, text: str) -> None:
        try:
            self.state.set_draft(conv_id, text)
        except Exception:
            log.exception("set_draft failed")

    def has_sent(self, conv_id: str) -> bool:
        """Whether this session already sent into ``conv_id`` (for the bot-off warning)."""
        return conv_id in self._sent_once

    # ------------------------------------------------------------------ view changes

    def _publish(self, keep_selection: bool = True, loading: bool = False) -> None:
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
        self._publish_unread()

    def _publish_unread(self) -> None:
        count = self.unread_count()
        if count != self._unread_count:
            self._unread_count = count
            self.post(msg.UnreadChanged(count))

    def set_sort(self, sort: str) -> None:
        self.view.sort = sort
        self._remember_view()
        self._publish()

    def set_unread_only(self, unread_only: bool) -> None:
        self.view.unread_only = unread_only
        self._remember_view()
        self._publish()

    async def set_folder(self, folder: str) -> None:
        self.view.folder = folder
        self._remember_view()
        await self.reload()

    async def set_search(self, query: str) -> None:
        self.view.search = query.strip()
        await self.reload()

    async def reload(self) -> None:
        """Fetch page 1 of the current view now (user action); stale polls are discarded."""
        self._gen += 1
        gen = self._gen
        self.current_conversation  # noqa: B018 - remember the open one before clearing
        self.known.clear()
        self._order.clear()
        self._pages_loaded = 0
        self._publish(keep_selection=False, loading=True)
        page = await self._guarded(self._fetch_list_page(1))
        if page is None or gen != self._gen:
            return
        self._apply_page(page, 1, replace=True)
        self._publish(keep_selection=False)

    async def load_more(self) -> None:
        """Load the next page of the current view (lazy paging on scroll)."""
        if not self.has_more():
            return
        gen = self._gen
        page_no = self._pages_loaded + 1
        page = await self._guarded(self._fetch_list_page(page_no))
        if page is None or gen != self._gen or page_no != self._pages_loaded + 1:
            return
        self._apply_page(page, page_no, replace=False)
        self._publish()

    # ------------------------------------------------------------------ fetching

    async def _fetch_list_page(
        self, page: int, folder: str | None = None, *, search: bool = True
    ) -> Any:
        return await self.client.conversations.list(
            folder=folder or self.view.folder,
            search_query=(self.view.search or None) if search else None,
            page=page,
            limit=self.settings.page_size,
        )

    async def _guarded(self, coro: Any) -> Any:
        """Await an API call, keeping connection state; returns None on connection trouble."""
        try:
            result = await coro
        except Exception as exc:
            if is_connection_problem(exc):
                self._went_offline(exc)
                return None
            raise
        self._came_online()
        return result

    def _apply_page(self, page: Any, page_no: int, *, replace: bool) -> list[Any]:
        """Merge one page of conversations into the view. Returns the cleaned models."""
        items = [clean_model(c) for c in page.items]
        meta = page.meta
        self.total = int(getattr(meta, "total", len(items)) or 0)
        self._last_page = int(getattr(meta, "last_page", 1) or 1)
        self.counts[self.view.folder] = (
            self.total if not self.view.search else self.counts.get(self.view.folder, self.total)
        )
        changed = replace
        if replace:
            self.known.clear()
            self._order.clear()
        for conv in items:
            if self.known.get(conv.id) != conv:
                changed = True
            self.known[conv.id] = conv
        if page_no == 1 and not replace:
            # A poll of page 1: conversations that were at least as recent as the
            # oldest row of the new page but are missing from it left this view.
            ids = {c.id for c in items}
            if items and len(items) >= self.settings.page_size:
                oldest = min(activity(c) for c in items)
                gone = [
                    i
                    for i in self._order
                    if i not in ids and i in self.known and activity(self.known[i]) >= oldest
                ]
            else:
                gone = [i for i in self._order if i not in ids]
            for i in gone:
                if i != self.current_id:
                    self.known.pop(i, None)
                    changed = True
        self._pages_loaded = max(self._pages_loaded, page_no)
        order = sorted(self.known, key=lambda i: -activity(self.known[i]))
        changed = changed or order != self._order
        self._order = order
        # A poll that changed nothing must not re-send (and re-render) thousands of rows.
        self.view_changed = changed
        self._queue_stale_previews(items)
        return items

    def _queue_stale_previews(self, convs: Iterable[Any]) -> None:
        """Re-queue previews of wanted rows whose last message changed."""
        queued = False
        for conv in convs:
            entry = self.previews.get(conv.id)
            if entry is not None and entry[0] != preview_key(conv):
                self._preview_wanted[conv.id] = None
                queued = True
        if queued:
            self._preview_event.set()

    def request_previews(self, conv_ids: Iterable[str]) -> None:
        """Rows on screen without an up-to-date preview: fetch them (batched, cached)."""
        added = False
        for cid in conv_ids:
            conv = self.known.get(cid)
            if conv is None:
                continue
            entry = self.previews.get(cid)
            stale = entry is None or entry[0] != preview_key(conv)
            if stale and cid not in self._preview_wanted:
                self._preview_wanted[cid] = None
                added = True
        if added:
            self._preview_event.set()

    async def _fetch_preview(self, conv_id: str, conv: Any | None = None) -> None:
        conv = conv or self.known.get(conv_id)
        if conv is None:
            return
        key = preview_key(conv)
        if last_inbound(conv) is None and last_outbound(conv) is None:
            self.previews[conv_id] = (key, "")
            return
        page = await self.client.conversations.messages(conv_id, page=1)
        items = [clean_model(m) for m in page.items]
        text = message_preview(_newest(items)) if items else ""
        self.previews[conv_id] = (key, text)

    # ------------------------------------------------------------------ loops

    def wake(self) -> None:
        """Ask the polling loops to poll now (after their current request)."""
        self._wake_list.set()
        self._wake_thread.set()

    async def _sleep(self, seconds: float, event: asyncio.Event) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=max(0.05, seconds))
        event.clear()

    def _backoff(self, base: float) -> float:
        if self._failures == 0:
            return base
        return min(MAX_BACKOFF, max(base, 1.0) * 2 ** min(self._failures, 6))

    async def list_loop(self) -> None:
        """Poll the conversation list forever: await the request, then sleep."""
        while True:
            try:
                await self.poll_list()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                from sendbee_tui.api import AuthenticationError

                if isinstance(exc, AuthenticationError):
                    # Wrong key/secret: polling harder will not help; say what will.
                    log.warning("credentials rejected: %s", describe_error(exc))
                    self._went_offline(exc)
                    self._offline_detail = "API key/secret rejected (S: set up)"
                else:
                    log.exception("list poll failed")
                    self.post(msg.ConnectionChanged(self.connection, detail=describe_error(exc)))
            delay = self._backoff(self.settings.poll_list_seconds)
            if self._failures:
                self.post(
                    msg.ConnectionChanged(
                        "offline",
                        retry_in=delay,
                        last_sync=self.last_sync,
                        detail=self._offline_detail,
                    )
                )
            await self._sleep(delay, self._wake_list)

    async def thread_loop(self) -> None:
        """Poll the open conversation's newest messages forever."""
        while True:
            try:
                if self.current_id and not self._failures:
                    await self.poll_thread()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("thread poll failed")
            await self._sleep(self._backoff(self.settings.poll_thread_seconds), self._wake_thread)

    async def preview_loop(self) -> None:
        """Fetch wanted previews a few at a time; never more than one request per row."""
        while True:
            await self._preview_event.wait()
            self._preview_event.clear()
            while self._preview_wanted and not self._failures:
                batch = list(self._preview_wanted)[:PREVIEW_BATCH]
                for cid in batch:
                    self._preview_wanted.pop(cid, None)
                results = await asyncio.gather(
                    *(self._fetch_preview(cid) for cid in batch), return_exceptions=True
                )
                for cid, res in zip(batch, results, strict=True):
                    if isinstance(res, BaseException):
                        if isinstance(res, asyncio.CancelledError):
                            raise res
                        if is_connection_problem(res):
                            self._went_offline(res)
                        log.debug("preview %s failed: %s", cid, res)
                        self.previews.setdefault(cid, ((None, None), ""))
                self.post(msg.PreviewsChanged(frozenset(batch)))

    async def poll_list(self) -> None:
        """One poll: page 1 of the view (+ the open folder for new inbound), sometimes counts."""
        gen = self._gen
        self._poll_count += 1
        page = await self._guarded(self._fetch_list_page(1))
        if page is None:
            return
        extra: list[Any] = []
        if self.view.folder != "open" or self.view.search:
            # New inbound messages land in Open: watch it even while another view is shown.
            open_page = await self._guarded(self._fetch_list_page(1, folder="open", search=False))
            if open_page is not None:
                extra = [clean_model(c) for c in open_page.items]
        if gen != self._gen:
            return
        first = self._pages_loaded == 0
        items = self._apply_page(page, 1, replace=first)
        changed = self.view_changed
        fresh = self._detect_new_inbound(items + extra)
        if self._snapshot_before_gap is not None:
            self._catch_up()
        if changed or fresh:
            self._publish(keep_selection=not first)
        if fresh:
            await self._announce(fresh)
        if self._poll_count == 1 or self._poll_count % 6 == 0:
            await self.refresh_counts()

    async def refresh_counts(self) -> None:
        counts: dict[str, int] = {}
        for folder in FOLDERS:
            if folder == self.view.folder and not self.view.search:
                counts[folder] = self.total
                continue
            page = await self._guarded(
                self.client.conversations.list(folder=folder, page=1, limit=1)
            )
            if page is None:
                return
            counts[folder] = int(getattr(page.meta, "total", len(page.items)) or 0)
        self.counts = counts
        self.post(msg.FolderCounts(dict(counts)))

    def _detect_new_inbound(self, convs: list[Any]) -> list[Any]:
        fresh: list[Any] = []
        now = self.clock()
        for conv in convs:
            inbound = last_inbound(conv)
            had = conv.id in self._seen_inbound
            before = self._seen_inbound.get(conv.id)
            self._seen_inbound[conv.id] = inbound
            if not self._initialised or inbound is None:
                continue
            if (had and (before is None or inbound > before)) or (
                not had and inbound > now - 2 * self.settings.poll_list_seconds - 60
            ):
                fresh.append(conv)
        self._initialised = True
        if fresh:
            for conv in fresh:
                if conv.id != self.current_id:
                    # Explicit mark: timestamps have whole-second resolution, so a
                    # comparison with the read mark alone can miss a message.
                    with contextlib.suppress(Exception):
                        self.state.mark_unread(conv.id)
            if self.current_id in {c.id for c in fresh}:
                self._wake_thread.set()
        return fresh

    async def _announce(self, fresh: list[Any]) -> None:
        """Fetch the new messages' previews (a few) so the notification can quote them."""
        for conv in fresh[:3]:
            try:
                await self._fetch_preview(conv.id, conv)
            except Exception as exc:
                log.debug("preview for notification failed: %s", exc)
        self._queue_stale_previews(fresh)
        self.post(msg.NewInbound(conversations=fresh))
        self.post(msg.PreviewsChanged(frozenset(c.id for c in fresh)))

    # ------------------------------------------------------------------ connection

    def on_retry(self, event: Any) -> None:
        """SendbeeClient ``on_retry`` hook: show "retrying in N s"."""
        self.connection = "retrying"
        self.post(
            msg.ConnectionChanged(
                "retrying",
                retry_in=float(getattr(event, "delay_seconds", 0.0)),
                last_sync=self.last_sync,
                detail=clean(str(getattr(event, "reason", ""))),
            )
        )

    def _went_offline(self, exc: BaseException) -> None:
        self._failures += 1
        self._offline_detail = describe_error(exc)
        if self.connection != "offline":
            self._offline_since = self.clock()
            self._snapshot_before_gap = {cid: preview_key(c) for cid, c in self.known.items()}
        self.connection = "offline"

    def _came_online(self) -> None:
        now = self.clock()
        gap = now - self.last_sync if self.last_sync is not None else 0.0
        if (
            self._snapshot_before_gap is None
            and self.last_sync is not None
            and gap > max(120.0, 6 * self.settings.poll_list_seconds)
        ):
            # The machine slept or the session was suspended: summarise like a reconnect.
            self._snapshot_before_gap = {cid: preview_key(c) for cid, c in self.known.items()}
            self._offline_since = self.last_sync
        changed = self.connection != "online"
        self._failures = 0
        self.connection = "online"
        self.last_sync = now
        self.post(msg.ConnectionChanged("online", last_sync=now))
        if changed:
            self._preview_event.set()

    def _catch_up(self) -> None:
        before = self._snapshot_before_gap or {}
        since = self._offline_since
        self._snapshot_before_gap = None
        self._offline_since = None
        new_convs = [c for cid, c in self.known.items() if cid not in before]
        changed = [
            c for cid, c in self.known.items() if cid in before and before[cid] != preview_key(c)
        ]
        new_inbound = [c for c in changed if (last_inbound(c) or 0) > (before[c.id][0] or 0)]
        gap = self.clock() - since if since is not None else 0.0
        parts = []
        if new_inbound:
            parts.append(f"{len(new_inbound)} conversation(s) with new customer messages")
        if len(changed) - len(new_inbound) > 0:
            parts.append(f"{len(changed) - len(new_inbound)} with new replies")
        if new_convs:
            parts.append(f"{len(new_convs)} new conversation(s)")
        what = ", ".join(parts) if parts else "nothing changed"
        self.post(msg.CatchUp(f"Back online after {_duration(gap)}: {what}."))

    # ------------------------------------------------------------------ thread

    async def open_conversation(self, conv_id: str) -> None:
        """Show ``conv_id``: mark it read, load its newest page and its contact."""
        self.current_id = conv_id
        self._current_conv = self.known.get(conv_id)
        self.thread = {}
        self._echo_ids = set()
        self._thread_pages = 0
        self._thread_last_page = 1
        conv = self.known.get(conv_id)
        if conv is not None:
            self._mark_read(conv)
        self.post(msg.ThreadLoading(conv_id))
        self._publish_unread()
        page = await self._guarded(self.client.conversations.messages(conv_id, page=1))
        if page is None or self.current_id != conv_id:
            return
        self._merge_thread(page, 1)
        self.post(msg.ThreadLoaded(conv_id, self._thread_list(), has_older=self._has_older()))
        if conv is not None:
            await self._load_contact(conv)

    def _mark_read(self, conv: Any) -> None:
        try:
            self.state.mark_read(conv.id, last_inbound(conv) or activity(conv))
        except Exception:
            log.exception("mark_read failed")

    def mark_unread(self, conv_id: str) -> None:
        try:
            self.state.mark_unread(conv_id)
        except Exception:
            log.exception("mark_unread failed")
        self._publish()

    def mark_all_read(self) -> None:
        """Everything up to now counts as read (``A``), like mutt's catch-up."""
        marker = getattr(self.state, "mark_all_read", None)
        try:
            if marker is not None:
                marker(self.clock())
            else:
                for conv in self.known.values():
                    self.state.mark_read(conv.id, last_inbound(conv) or activity(conv))
        except Exception:
            log.exception("mark_all_read failed")
        self._publish()

    def close_conversation(self) -> None:
        self.current_id = None
        self.thread = {}

    def _has_older(self) -> bool:
        return self._thread_pages < self._thread_last_page

    def _thread_list(self) -> list[Any]:
        return sorted(self.thread.values(), key=lambda m: (ts(m.sent_at) or 0.0, str(m.id)))

    def _merge_thread(self, page: Any, page_no: int) -> bool:
        changed = False
        for m in page.items:
            m = clean_model(m)
            old = self.thread.get(m.id)
            if old != m:
                self.thread[m.id] = m
                changed = True
        # A local echo of a sent message goes once the server lists the message
        # (normally under the same id; matched by text and time if not).
        for echo_id in list(self._echo_ids):
            echo = self.thread.get(echo_id)
            server_ids = {m.id for m in page.items}
            if echo is None or echo_id in server_ids:
                self._echo_ids.discard(echo_id)
                continue
            echo_ts = ts(echo.sent_at) or 0.0
            for m in self.thread.values():
                if (
                    m.id != echo_id
                    and m.id not in self._echo_ids
                    and (m.direction or "") == "outbound"
                    and (m.body or "") == (echo.body or "")
                    and abs((ts(m.sent_at) or 0.0) - echo_ts) < 300
                ):
                    self.thread.pop(echo_id, None)
                    self._echo_ids.discard(echo_id)
                    changed = True
                    break
        self._thread_pages = max(self._thread_pages, page_no)
        self._thread_last_page = int(getattr(page.meta, "last_page", 1) or 1)
        if page_no == 1 and page.items and self.current_id:
            conv = self.known.get(self.current_id)
            newest = _newest([clean_model(m) for m in page.items])
            if conv is not None:
                self.previews[self.current_id] = (preview_key(conv), message_preview(newest))
        return changed

    async def poll_thread(self) -> None:
        conv_id = self.current_id
        if conv_id is None:
            return
        known_ids = set(self.thread)
        page = await self._guarded(self.client.conversations.messages(conv_id, page=1))
        if page is None or conv_id != self.current_id:
            return
        changed = self._merge_thread(page, 1)
        # More new messages than one page since the last poll: walk back until the
        # pages meet what we already have (bounded), so none is skipped.
        page_no = 1
        while (
            known_ids
            and page.items
            and not any(m.id in known_ids for m in page.items)
            and page_no < min(5, int(getattr(page.meta, "last_page", 1) or 1))
        ):
            page_no += 1
            page = await self._guarded(self.client.conversations.messages(conv_id, page=page_no))
            if page is None or conv_id != self.current_id:
                return
            changed = self._merge_thread(page, page_no) or changed
        if changed:
            self.post(
                msg.ThreadLoaded(
                    conv_id, self._thread_list(), has_older=self._has_older(), scroll_to_end=False
                )
            )
            conv = self.known.get(conv_id)
            if conv is not None:
                self._mark_read(conv)

    async def load_older(self) -> None:
        """Load the next older page of the open thread (scrolling up)."""
        conv_id = self.current_id
        if conv_id is None or not self._has_older() or self._loading_older:
            return
        self._loading_older = True
        try:
            page_no = self._thread_pages + 1
            page = await self._guarded(self.client.conversations.messages(conv_id, page=page_no))
            if page is None or conv_id != self.current_id:
                return
            self._merge_thread(page, page_no)
            self.post(
                msg.ThreadLoaded(
                    conv_id, self._thread_list(), has_older=self._has_older(), scroll_to_end=False
                )
            )
        finally:
            self._loading_older = False

    async def _load_contact(self, conv: Any) -> None:
        contact_id = conv.contact.id
        phone = conv.contact.phone
        try:
            page = await self.client.contacts.list(search_query=phone or conv.contact.name)
        except Exception as exc:
            log.debug("contact lookup failed: %s", exc)
            return
        found = None
        for c in page.items:
            if c.id == contact_id or (phone and c.phone == phone):
                found = clean_model(c)
                break
        if found is not None:
            self.contacts[contact_id] = found
        if self.current_id == conv.id:
            self.post(msg.ContactLoaded(conv.id, found))

    async def refresh_conversation(self, conv_id: str) -> Any:
        """Re-read one conversation from the server (used after template sends etc.)."""
        conv = clean_model(await self.client.conversations.get(conv_id))
        self._update_conv(conv)
        if conv_id == self.current_id:
            self._wake_thread.set()
        return conv

    def _update_conv(self, conv: Any) -> None:
        if conv.id == self.current_id:
            self._current_conv = conv
        in_view = conv.folder == self.view.folder or self.view.search
        if in_view:
            self.known[conv.id] = conv
            if conv.id not in self._order:
                self._order.insert(0, conv.id)
            self._order.sort(key=lambda i: -activity(self.known[i]))
        elif conv.id in self.known and conv.id != self.current_id:
            self.known.pop(conv.id, None)
            self._order = [i for i in self._order if i != conv.id]
        else:
            self.known[conv.id] = conv
        self.post(msg.ConversationUpdated(conv))
        self._publish()

    # ------------------------------------------------------------------ actions

    async def set_chatbot(self, conv_id: str, active: bool) -> bool:
        """Turn the chatbot on/off and return the state the *server* reports afterwards."""
        await self.client.chatbot.set(conv_id, active)
        status = await self.client.chatbot.status(conv_id)
        conv = self.known.get(conv_id)
        server_state = bool(status.chatbot_active)
        if conv is not None:
            self._update_conv(dataclasses.replace(conv, chatbot_active=server_state))
        return server_state

    async def move(self, conv_id: str, folder: str) -> Any:
        """Move to ``folder`` (open/done); returns the conversation as the server answered."""
        conv = clean_model(await self.client.conversations.move(conv_id, folder))
        self._update_conv(conv)
        return conv

    async def send(
        self,
        conv: Any,
        text: str,
        media_url: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
    ) -> Any:
        """Send a free-form message once (never retried) and return a local echo Message.

        The echo carries the server's message id and status, so the next thread
        poll replaces it with the stored message and its later status updates.
        ``agent_id`` (else :attr:`send_agent_id`) sends it as that team member.
        """
        from sendbee_tui.api import Message as ApiMessage

        kwargs: dict[str, Any] = {"phone": conv.contact.phone, "prevent_bot_off": prevent_bot_off}
        agent = agent_id or self.send_agent_id
        if agent:
            kwargs["agent_id"] = agent
        if text:
            kwargs["text"] = text
        if media_url:
            kwargs["media_url"] = media_url
        sent = await self.client.messages.send(**kwargs)
        self._sent_once.add(conv.id)
        now = self.clock()
        media_type = "text"
        if media_url:
            media_type = _guess_media_type(media_url)
        echo_fields: dict[str, Any] = {
            "id": sent.message_id or f"local-{now}",
            "body": text,
            "media_type": media_type,
            "media_url": media_url,
            "status": sent.status or "sent",
            "direction": "outbound",
            "sent_at": datetime.fromtimestamp(now).astimezone(),
            "fail_reason": None,
            "from_user_id": None,
            "to_user_id": None,
        }
        names = {f.name for f in dataclasses.fields(ApiMessage)}
        if "raw" in names:
            echo_fields["raw"] = {}
        echo = clean_model(ApiMessage(**{k: v for k, v in echo_fields.items() if k in names}))
        if self.current_id == conv.id:
            self.thread[str(echo.id)] = echo
            self._echo_ids.add(str(echo.id))
            self.post(
                msg.ThreadLoaded(
                    conv.id, self._thread_list(), has_older=self._has_older(), scroll_to_end=True
                )
            )
        if not prevent_bot_off and conv.chatbot_active:
            self._update_conv(dataclasses.replace(conv, chatbot_active=False))
        self.previews[conv.id] = (preview_key(conv), message_preview(echo))
        self.wake()
        return echo


def _newest(items: list[Any]) -> Any:
    return max(items, key=lambda m: ts(m.sent_at) or 0.0)


def _guess_media_type(url: str) -> str:
    lower = url.lower().split("?")[0]
    for ext, kind in (
        ((".jpg", ".jpeg", ".png"), "image"),
        ((".mp4", ".3gp", ".3gpp"), "video"),
        ((".aac", ".m4a", ".amr", ".mp3", ".ogg", ".opus"), "audio"),
    ):
        if lower.endswith(ext):
            return kind
    return "document"


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
