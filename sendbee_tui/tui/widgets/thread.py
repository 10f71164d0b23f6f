"""The message thread: a Line-API ScrollView with a per-message line cache.

Each message is rendered to strips once per width and cached by message value,
so a poll that adds one message renders one message, and a 5,000-message
thread scrolls by copying cached strips.  Oldest at the top, newest at the bottom.

After the messages come the conversation's replies still in the outbox: their
selection, keys and drawing are in :mod:`.thread_outbox` (a base class); how a
message reads (body, ticks, day) is in :mod:`.thread_text`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from sendbee_tui.api import Message as ApiMessage
from sendbee_tui.outbox import OutboxEntry, State
from sendbee_tui.tui import keys
from sendbee_tui.tui.inbox.conversations import model_id, ts
from sendbee_tui.tui.widgets.line_view import bulk_layout
from sendbee_tui.tui.widgets.outbox_entry import visible_entries
from sendbee_tui.tui.widgets.thread_outbox import ThreadOutbox
from sendbee_tui.tui.widgets.thread_text import (
    TICKS,
    format_clock,
    format_day,
    message_body,
)

__all__ = ["TICKS", "Thread", "format_clock", "format_day", "message_body"]


class Thread(ThreadOutbox, can_focus=True):
    """Messages of the open conversation."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("thread", "outbox")
    DEFAULT_CSS = """
    Thread { background: $background; scrollbar-size-vertical: 1; }
    """

    class NeedOlder(Message):
        """Scrolled to the top and older pages exist."""

    class NeedAll(Message):
        """Home: the oldest message is wanted, so every older page."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.clock = clock
        self.conversation_id: str | None = None
        self.contact_name = ""
        self.messages: list[ApiMessage] = []
        self.has_older = False
        self.placeholder = "Select a conversation (Enter)"
        self._lines: list[Strip] = []
        self._cache: dict[str, tuple[ApiMessage, int, list[Strip]]] = {}
        self._width = 0
        self._follow = True
        #: Home was pressed: stay on the oldest message while older pages arrive.
        self._pin_top = False
        self._days: dict[tuple[str | None, datetime | None], str] = {}
        self._separators: dict[tuple[str, int], list[Strip]] = {}
        self._margins: dict[tuple[int, str, int, Style], tuple[Strip, Strip, Strip]] = {}
        #: The conversation's outbox entries (all); ``shown`` those drawn after the messages.
        self.entries: list[OutboxEntry] = []
        self.shown: list[OutboxEntry] = []
        self.selected_id: str | None = None
        self._offered: tuple[str | None, State | None] = (None, None)

    def show_placeholder(self, text: str) -> None:
        self.conversation_id = None
        self.messages = []
        self.entries = []
        self.placeholder = text
        self._rebuild()

    def set_messages(
        self,
        conversation_id: str,
        messages: list[ApiMessage],
        *,
        has_older: bool,
        scroll_to_end: bool,
        contact_name: str = "",
        entries: list[OutboxEntry] | None = None,
    ) -> None:
        """Show ``messages`` (oldest first) and then ``entries`` (the outbox's, if given).

        Keeps the viewport steady when older pages arrive.
        """
        same = conversation_id == self.conversation_id
        if not same:
            self._cache.clear()
            self._days.clear()
            self.entries = []
            self.selected_id = None
        if entries is not None:
            self.entries = entries
        at_end = self.is_vertical_scroll_end or self.max_scroll_y == 0
        old_height = len(self._lines)
        old_first = self.messages[0].id if self.messages else None
        self.conversation_id = conversation_id
        self.contact_name = contact_name
        self.messages = messages
        self.has_older = has_older
        self._rebuild()
        new_height = len(self._lines)
        if not same or scroll_to_end:
            self._pin_top = False
        if self._pin_top:
            # Home: the oldest message stays in view as the older pages arrive.
            self.scroll_home(animate=False, immediate=True, force=True)
        elif not same or scroll_to_end or (at_end and new_height >= old_height):
            self._follow = True
            self.scroll_end(animate=False, immediate=True, force=True)
            self.call_after_refresh(self._scroll_end_if_following)
        elif messages and old_first is not None and messages[0].id != old_first:
            # Older messages were prepended: keep what the agent was reading in place.
            self.scroll_to(
                y=self.scroll_y + (new_height - old_height),
                animate=False,
                immediate=True,
                force=True,
            )

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._rebuild()
        if self._follow:
            self.call_after_refresh(self._scroll_end_if_following)

    def _scroll_end_if_following(self) -> None:
        """Newest message stays in view while the agent has not scrolled up (chat-client rule)."""
        if self._follow:
            self.scroll_end(animate=False, immediate=True, force=True)

    def _rebuild(self) -> None:
        with bulk_layout():
            self._lay_out()

    def _lay_out(self) -> None:
        """Every line of the thread, from the per-message cache (new messages drawn now)."""
        width = self.scrollable_content_region.width or self.size.width
        self._width = width
        lines: list[Strip] = []
        base = self.get_visual_style()
        self.shown = (
            visible_entries(self.entries, self.messages, self.clock())
            if self.conversation_id
            else []
        )
        self._choose_selection()
        selected = self.selected_entry
        offered = (self.selected_id, selected.state if selected else None)
        if offered != self._offered:
            # The footer's outbox keys depend on the selected entry and its state.
            self._offered = offered
            self.refresh_bindings()
        if not self.messages:
            text = "No messages yet" if self.conversation_id else self.placeholder
            content = Content(text).stylize("$text-muted").center(max(1, width))
            lines = [
                Strip.blank(width, base.rich_style),
                *Visual.to_strips(self, content, max(1, width), None, base, pad=True),
            ]
            if self.shown:
                lines.append(Strip.blank(width, base.rich_style))
        else:
            if self.has_older:
                note = Content("↑ older messages load as you scroll up").stylize("$text-muted")
                lines += Visual.to_strips(self, note.center(width), width, None, base, pad=True)
            last_day = None
            for message in self.messages:
                day = self._day_of(message)
                if day and day != last_day:
                    last_day = day
                    lines += self._separator(day, width, base)
                lines += self._message_lines(message, width, base)
        for entry in self.shown:
            lines += self._entry_lines(entry, width, base)
        self._lines = lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if self.has_older and self.messages:
            self.call_after_refresh(self._fill_viewport)

    def _fill_viewport(self) -> None:
        """A short thread with older pages: fetch more until the pane is full (chat-client rule)."""
        if self.has_older and len(self._lines) < self.scrollable_content_region.height:
            self.post_message(self.NeedOlder())

    def _day_of(self, message: ApiMessage) -> str | None:
        key = (message.id, message.sent_at)
        day = self._days.get(key)
        if day is None:
            when = ts(message.sent_at)
            day = format_day(when) if when else ""
            self._days[key] = day
        return day or None

    def _separator(self, day: str, width: int, base: Style) -> list[Strip]:
        cached = self._separators.get((day, width))
        if cached is None:
            cached = self._separators[(day, width)] = self._render_separator(day, width, base)
        return cached

    def _render_separator(self, day: str, width: int, base: Style) -> list[Strip]:
        sep = Content.assemble(f" {day} ").stylize("$text-muted bold")
        side = max(0, (width - sep.cell_length) // 2)
        rule = Content.assemble(("─" * side, "$panel-lighten-2"), sep)
        rule = Content.assemble(rule, ("─" * max(0, width - rule.cell_length), "$panel-lighten-2"))
        return Visual.to_strips(self, rule, width, 1, base, pad=True)

    def _message_lines(self, message: ApiMessage, width: int, base: Style) -> list[Strip]:
        cached = self._cache.get(model_id(message))
        if (
            cached is not None
            and cached[1] == width
            and (cached[0] is message or cached[0] == message)
        ):
            return cached[2]
        outbound = (message.direction or "").lower() != "inbound"
        indent = max(2, width // 6) if outbound else 0
        inner = max(10, width - indent - 4)
        when = ts(message.sent_at)
        clock = format_clock(when) if when else ""
        status = (message.status or "").lower()
        if outbound:
            tick, tick_style = TICKS.get(status, (status, "$text-muted"))
            who = (
                "You"
                if (message.direction or "").lower() == "outbound"
                else (message.direction or "system")
            )
            header = Content.assemble(
                (who, "bold $primary"),
                "  ",
                (clock, "$text-muted"),
                "  ",
                (tick, tick_style),
                " ",
                (status, tick_style),
            )
            if status == "failed":
                reason = message.fail_reason or "no reason given"
                header = Content.assemble(header, ": ", (reason, "$error"))
            bar_style = "$primary"
        else:
            header = Content.assemble(
                (self.contact_name or "Customer", "bold $secondary"), "  ", (clock, "$text-muted")
            )
            bar_style = "$secondary"
        # Header and body in one pass: each ``to_strips`` call costs ~40 us before it
        # draws anything, and Home lays out thousands of messages at once.
        content = Content("\n").join([header, message_body(message)])
        bar, bar_mark, blank = self._margin(indent, bar_style, width, base)
        out: list[Strip] = [
            Strip.join([bar, bar_mark, strip]).extend_cell_length(width, base.rich_style)
            for strip in Visual.to_strips(self, content, inner, None, base)
        ]
        out.append(blank)
        self._cache[model_id(message)] = (message, width, out)
        return out

    def _margin(
        self, indent: int, bar_style: str, width: int, base: Style
    ) -> tuple[Strip, Strip, Strip]:
        """(indent, coloured bar, blank line after a message), drawn once per style and width."""
        key = (indent, bar_style, width, base)
        margin = self._margins.get(key)
        if margin is None:
            margin = self._margins[key] = (
                Strip.blank(indent, base.rich_style),
                Visual.to_strips(self, Content.styled("▍ ", bar_style), 2, 1, base)[0],
                Strip.blank(width, base.rich_style),
            )
        return margin

    def notify_style_update(self) -> None:
        """Theme or CSS changed: cached strips carry old colours."""
        super().notify_style_update()
        self._cache.clear()
        self._separators.clear()
        self._margins.clear()
        if self.is_mounted:
            self._rebuild()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width and width > 0:
            # A scrollbar appeared or went: lay the lines out again for the new width.
            self._width = width
            self.call_later(self._rebuild)
        # A thread shorter than the pane sits at the bottom, next to the composer.
        pad = (
            max(0, self.scrollable_content_region.height - len(self._lines))
            if self.messages or self.shown
            else 0
        )
        line = int(self.scroll_y) + y - pad
        if 0 <= line < len(self._lines):
            return self._lines[line].crop_extend(0, width, None)
        return Strip.blank(width, self.get_visual_style().rich_style)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > 0:
            self._pin_top = False  # the agent scrolled away from the oldest message
        # Pinned to the oldest message, a short thread is "at the end" too: not following.
        self._follow = new_value >= self.max_scroll_y and not self._pin_top
        if self.has_older and new_value <= 2 and self.messages and not self._pin_top:
            self.post_message(self.NeedOlder())

    def action_scroll_home(self) -> None:
        """Home: the oldest message, loading every older page at once if needed."""
        self.scroll_home(animate=False)
        if self.has_older and self.messages:
            self._pin_top = True
            self._follow = False
            self.post_message(self.NeedAll())

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False)

    @property
    def plain_lines(self) -> list[str]:
        """The rendered text (tests and the screenshot script use it)."""
        return [strip.text for strip in self._lines]
