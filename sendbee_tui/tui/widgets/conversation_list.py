"""The conversation list: a Line-API ScrollView with fixed two-line rows.

Why not ``ListView``: one widget per row costs ~34 s for 10,000 rows.  Why not
``OptionList``: it measures every option up front and re-measures on width
changes.  Fixed-height rows make the list O(visible rows): a key press only
re-renders two rows, and a render is cached per (row content, width, cursor).
What a row says is in :mod:`.conversation_row`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import Visual

from sendbee_tui.api import Conversation
from sendbee_tui.tui import keys
from sendbee_tui.tui.inbox.conversations import activity, model_id
from sendbee_tui.tui.widgets.conversation_row import (
    STATUS_MARKS,
    RowMark,
    direction_mark,
    relative_time,
    row_content,
    window_label,
)
from sendbee_tui.tui.widgets.line_view import LineScrollView

__all__ = [
    "ROW_HEIGHT",
    "STATUS_MARKS",
    "ConversationList",
    "RowMark",
    "direction_mark",
    "relative_time",
    "window_label",
]

ROW_HEIGHT = 2


class ConversationList(LineScrollView, can_focus=True):
    """Virtualised list of conversations (rows from :meth:`InboxService.rows`)."""

    ALLOW_MAXIMIZE = False
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "conversation-list--cursor",
        "conversation-list--open",
    }
    DEFAULT_CSS = """
    ConversationList {
        background: $surface;
        scrollbar-size-vertical: 1;
        & > .conversation-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .conversation-list--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
        }
        & > .conversation-list--open { background: $boost; }
    }
    """

    # repaint=False: watch_cursor refreshes just the two rows that changed.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
        """The cursor moved to ``conversation``."""

        def __init__(self, conversation: Conversation) -> None:
            super().__init__()
            self.conversation = conversation

    class Selected(Message):
        """Enter (or a double click) on ``conversation``: open it."""

        def __init__(self, conversation: Conversation) -> None:
            super().__init__()
            self.conversation = conversation

    class NeedMore(Message):
        """The cursor or scroll position is near the end of the loaded pages."""

    def __init__(
        self,
        *,
        preview_for: Callable[[Conversation], str | None] = lambda c: None,
        unread_for: Callable[[Conversation], bool] = lambda c: False,
        need_previews: Callable[[list[str]], None] = lambda ids: None,
        marks_for: Callable[[Conversation], tuple[RowMark, ...]] = lambda c: (),
        clock: Callable[[], float] = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows: list[Conversation] = []
        self._index: dict[str, int] = {}
        self.has_more = False
        self.open_id: str | None = None
        self.empty_text = "No conversations"
        self.preview_for = preview_for
        self.unread_for = unread_for
        self.need_previews = need_previews
        self.marks_for = marks_for
        self.clock = clock
        #: Rendered rows by :meth:`_row_key`; the value keeps the row's model alive, so
        #: the ``id()`` in the key cannot be reused by another object while cached.
        self._cache: LRUCache[tuple[object, ...], tuple[Conversation, list[Strip]]] = LRUCache(512)

    # ------------------------------------------------------------------ data

    @property
    def highlighted(self) -> Conversation | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    def set_rows(
        self, rows: list[Conversation], *, has_more: bool, keep_selection: bool = True
    ) -> None:
        """Replace the rows, keeping the cursor on the same conversation when possible."""
        current = self.highlighted
        self.rows = rows
        self._index = {model_id(c): i for i, c in enumerate(rows)}
        self.has_more = has_more
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows) * ROW_HEIGHT)
        new_cursor = 0
        if keep_selection and current is not None and model_id(current) in self._index:
            new_cursor = self._index[model_id(current)]
        elif keep_selection:
            new_cursor = min(self.cursor, max(0, len(rows) - 1))
        # The render cache is keyed by row content, so it stays valid across updates.
        if new_cursor != self.cursor or current is None or self.highlighted is not current:
            self.set_reactive(ConversationList.cursor, new_cursor)
            self._scroll_cursor_into_view()
        self.refresh()
        self.call_after_refresh(self._visible_changed)

    def index_of(self, conv_id: str) -> int | None:
        return self._index.get(conv_id)

    def move_to(self, conv_id: str) -> bool:
        index = self._index.get(conv_id)
        if index is None:
            return False
        self.cursor = index
        return True

    def refresh_rows(self, ids: frozenset[str] | None = None) -> None:
        """Re-render the rows of ``ids`` that are on screen (their previews or marks
        changed), or every row when ``ids`` is None.

        A preview arriving for a row is the common case while scrolling: repainting
        just that row instead of the whole pane halves the cost of a key press.
        """
        if ids is None:
            self.refresh()
            return
        first, count = self._visible_span()
        for conv_id in ids:
            index = self._index.get(conv_id)
            if index is not None and first <= index < first + count:
                self._refresh_row(index)

    def refresh_changed(self) -> None:
        """Repaint the rows on screen whose text would change (relative times, the
        window countdown, a mark): nothing at all when every row still reads the same.

        The inbox calls this on its clock tick, so an idle inbox redraws a row only
        when, say, "4m" becomes "5m".
        """
        if not self.rows:
            return
        region = self.scrollable_content_region
        width = region.width
        now = self.clock()
        top = int(self.scroll_y)
        first, last = top // ROW_HEIGHT, (top + region.height - 1) // ROW_HEIGHT
        for index in range(first, min(len(self.rows), last + 1)):
            key = self._row_key(index, width, now)[0]
            cached = self._cache.get(key)
            if cached is None or cached[0] is not self.rows[index]:
                self._refresh_row(index)

    # ------------------------------------------------------------------ actions

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.rows) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        if self.rows:
            self.cursor = len(self.rows) - 1

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // ROW_HEIGHT)

    def action_page_down(self) -> None:
        if self.rows:
            self.cursor = min(len(self.rows) - 1, self.cursor + self._page_rows())

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - self._page_rows())

    def action_select(self) -> None:
        conv = self.highlighted
        if conv is not None:
            self.post_message(self.Selected(conv))

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        conv = self.highlighted
        if conv is not None:
            self.post_message(self.Highlighted(conv))
        if self.has_more and new >= len(self.rows) - 10:
            self.post_message(self.NeedMore())

    def _refresh_row(self, index: int) -> None:
        y = index * ROW_HEIGHT - int(self.scroll_y)
        self.refresh(Region(0, y, self.size.width, ROW_HEIGHT))

    def _scroll_cursor_into_view(self) -> None:
        top = self.cursor * ROW_HEIGHT
        height = self.scrollable_content_region.height
        if height and self.scroll_y <= top and top + ROW_HEIGHT <= self.scroll_y + height:
            return  # already visible: no scroll, no full repaint
        self.scroll_to_region(
            Region(0, top, 1, ROW_HEIGHT), animate=False, force=True, immediate=True
        )

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._visible_changed()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) * ROW_HEIGHT)
        self._cache.clear()
        self.call_after_refresh(self._visible_changed)

    def _visible_span(self) -> tuple[int, int]:
        """(first row index on screen, how many rows fit, plus two partly shown)."""
        first = int(self.scroll_y) // ROW_HEIGHT
        return first, self.scrollable_content_region.height // ROW_HEIGHT + 2

    def _visible_changed(self) -> None:
        first, count = self._visible_span()
        visible = self.rows[first : first + count]
        missing = [model_id(c) for c in visible if self.preview_for(c) is None]
        if missing:
            self.need_previews(missing)
        if self.has_more and first + count >= len(self.rows) - 5:
            self.post_message(self.NeedMore())

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row") if event.style else None
        if row is None:
            return
        self.cursor = row
        if event.chain >= 1:
            self.action_select()

    # ------------------------------------------------------------------ rendering

    def notify_style_update(self) -> None:
        """Theme or CSS changed: cached rows carry old colours."""
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        index, sub = divmod(line, ROW_HEIGHT)
        base = self.get_visual_style()
        if not self.rows:
            if line == 1:
                content = Content(self.empty_text).stylize("$text-muted").center(width)
                rendered = Visual.to_strips(self, content, width, 1, base, pad=True)
                return rendered[0] if rendered else Strip.blank(width, base.rich_style)
            return Strip.blank(width, base.rich_style)
        if index >= len(self.rows):
            return Strip.blank(width, base.rich_style)
        strips = self._render_row(index, width)
        return strips[sub]

    def _row_key(
        self, index: int, width: int, now: float
    ) -> tuple[tuple[object, ...], Conversation, str | None, bool, tuple[RowMark, ...]]:
        """Everything row ``index`` is drawn from, as a render-cache key (plus the inputs).

        The model is keyed by ``id()``: hashing a nested frozen dataclass on every
        line drawn cost more than drawing from the cache (the cached value keeps the
        model, and a hit checks it is the same object).  Time enters as the texts it
        shows, so a row is redrawn exactly when "4m" becomes "5m".
        """
        conv = self.rows[index]
        preview = self.preview_for(conv)
        unread = self.unread_for(conv)
        marks = self.marks_for(conv)
        key = (
            id(conv),
            preview,
            unread,
            marks,
            index == self.cursor,
            conv.id == self.open_id,
            self.has_focus,
            width,
            window_label(conv, now),
            relative_time(activity(conv), now),
            index,
        )
        return key, conv, preview, unread, marks

    def _render_row(self, index: int, width: int) -> list[Strip]:
        now = self.clock()
        key, conv, preview, unread, marks = self._row_key(index, width, now)
        cached = self._cache.get(key)
        if cached is not None and cached[0] is conv:
            return cached[1]
        if index == self.cursor:
            style = self.get_visual_style("conversation-list--cursor")
        elif conv.id == self.open_id:
            style = self.get_visual_style("conversation-list--open")
        else:
            style = self.get_visual_style()
        line1, line2 = self.row_content(conv, preview, unread, now, width, marks)
        strips = []
        for content in (line1, line2):
            rendered = Visual.to_strips(self, content, width, 1, style, pad=True)
            strip = rendered[0] if rendered else Strip.blank(width, style.rich_style)
            strips.append(strip.apply_meta({"row": index}))
        self._cache[key] = (conv, strips)
        return strips

    #: The two lines of a row (see :func:`.conversation_row.row_content`).
    row_content = staticmethod(row_content)
