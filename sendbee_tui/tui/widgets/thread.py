"""The message thread: a Line-API ScrollView with a per-message line cache.

Each message is rendered to strips once per width and cached by message value,
so a poll that adds one message renders one message, and a 5,000-message
thread scrolls by copying cached strips.  Oldest at the top, newest at the bottom.

After the messages come the conversation's replies still in the outbox
(:mod:`.outbox_entry`): queued, on their way, being checked, failed or
unconfirmed, each with its state in words.  While the thread has the focus one
of them is selected (``o``/``O`` move) and the outbox keys act on it; the
widget only asks (:class:`Thread.OutboxAction`), the screen decides.
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

from sendbee_tui.api import Conversation
from sendbee_tui.api import Message as ApiMessage
from sendbee_tui.outbox import OutboxEntry, State
from sendbee_tui.tui import keys
from sendbee_tui.tui.inbox.conversations import model_id, ts
from sendbee_tui.tui.safe_text import safe_url
from sendbee_tui.tui.widgets.conversation_list import window_label
from sendbee_tui.tui.widgets.line_view import LineScrollView, bulk_layout
from sendbee_tui.tui.widgets.outbox_entry import (
    actions_for,
    entry_body,
    entry_header,
    hint_words,
    visible_entries,
)

TICKS = {
    "sent": ("✓", "$text-muted"),
    "delivered": ("✓✓", "$text-muted"),
    "read": ("✓✓", "$accent"),
    "failed": ("✗", "$error"),
    "received": ("", ""),
}


def format_day(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%a %d %b %Y")


def format_clock(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%H:%M")


def thread_header(conv: Conversation, now: float) -> Content:
    """The line above the thread: who, their number, the 24-hour window, bot, folder."""
    win_text, win_style = window_label(conv, now)
    return Content.assemble(
        (conv.contact.name or "(no name)", "bold"),
        "  ",
        (conv.contact.phone or "", "$text-muted"),
        "  ",
        (
            "window " + ("open " + win_text.lstrip("◷") if win_text != "closed" else "closed"),
            win_style,
        ),
        "  ",
        (
            "bot on" if conv.chatbot_active else "bot off",
            "$accent" if conv.chatbot_active else "$text-muted",
        ),
        "  ",
        (conv.folder or "", "$text-muted"),
    )


def message_body(message: ApiMessage) -> Content:
    """Body of a message as Content; media as ``[type] URL`` with a link only for http(s)."""
    parts: list[Content] = []
    media = (message.media_type or "text").lower()
    if media != "text" or message.media_url:
        label = Content.styled(f"[{media}]", "bold $secondary")
        url = message.media_url or ""
        link = safe_url(url)
        url_content = Content(url)
        if link:
            url_content = url_content.stylize(Style(link=link, underline=True))
        parts.append(Content.assemble(label, " ", url_content) if url else label)
    if message.body:
        parts.append(Content(message.body).expand_tabs(4))
    if not parts:
        parts.append(Content.styled("(empty message)", "$text-muted italic"))
    return Content("\n").join(parts)


class Thread(LineScrollView, can_focus=True):
    """Messages of the open conversation."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("thread", "outbox")
    DEFAULT_CSS = """
    Thread { background: $background; scrollbar-size-vertical: 1; }
    """

    class NeedOlder(Message):
        """Scrolled to the top and older pages exist."""

    class NeedAll(Message):
        """Home: the oldest message is wanted, so every older page."""

    class OutboxAction(Message):
        """An outbox key on the selected entry; ``action`` is its key id (``outbox.retry``)."""

        def __init__(self, action: str, entry: OutboxEntry) -> None:
            super().__init__()
            self.action = action
            self.entry = entry

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

    # ------------------------------------------------------------------ outbox entries

    def set_outbox(self, conversation_id: str, entries: list[OutboxEntry]) -> None:
        """The outbox entries of the shown conversation changed (ignored for another one)."""
        if conversation_id != self.conversation_id:
            return
        at_end = self.is_vertical_scroll_end or self.max_scroll_y == 0
        known = {e.id for e in self.shown}
        self.entries = entries
        self._rebuild()
        if at_end or any(e.id not in known for e in self.shown):
            self._follow = True
            self.scroll_end(animate=False, immediate=True, force=True)
            self.call_after_refresh(self._scroll_end_if_following)

    @property
    def selected_entry(self) -> OutboxEntry | None:
        """The entry the outbox keys act on (None when none is shown)."""
        for entry in self.shown:
            if entry.id == self.selected_id:
                return entry
        return None

    def _choose_selection(self) -> None:
        """Keep the selection if still shown, else the newest that needs the agent."""
        if self.selected_entry is not None or not self.shown:
            return
        needs_agent = [e for e in self.shown if e.state in (State.FAILED, State.UNCONFIRMED)]
        self.selected_id = (needs_agent or self.shown)[-1].id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The outbox keys exist only while an entry they apply to is selected.

        Otherwise they are hidden from the footer and fall through: an unconfirmed
        reply offers "check again" and "send again anyway", never a plain retry.
        """
        if not action.startswith("outbox_"):
            return True
        entry = self.selected_entry
        if entry is None:
            return False
        if action == "outbox_select":
            return True
        return action.replace("_", ".", 1) in actions_for(entry)

    def action_outbox_select(self, step: int) -> None:
        if not self.shown:
            return
        ids = [e.id for e in self.shown]
        index = ids.index(self.selected_id) if self.selected_id in ids else len(ids) - 1
        self.selected_id = ids[(index + step) % len(ids)]
        self._rebuild()
        self.scroll_end(animate=False)

    def _ask(self, action: str) -> None:
        entry = self.selected_entry
        if entry is not None:
            self.post_message(self.OutboxAction(action, entry))

    def action_outbox_retry(self) -> None:
        self._ask("outbox.retry")

    def action_outbox_edit(self) -> None:
        self._ask("outbox.edit")

    def action_outbox_discard(self) -> None:
        self._ask("outbox.discard")

    def action_outbox_recheck(self) -> None:
        self._ask("outbox.recheck")

    def action_outbox_resend(self) -> None:
        self._ask("outbox.resend")

    def on_focus(self) -> None:
        if self.shown:
            self._rebuild()

    def on_blur(self) -> None:
        if self.shown:
            self._rebuild()

    def _keys_in_force(self) -> dict[str, str]:
        """Outbox binding id -> the key to show for it (a user's keymap included)."""
        keymap = keys.keymap_in_force(self.app)
        return {
            s.id: keys.hint_key(s.id, keymap) for s in keys.SPECS.values() if s.scope == "outbox"
        }

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

    def _entry_lines(self, entry: OutboxEntry, width: int, base: Style) -> list[Strip]:
        """An outbox entry, drawn like an outbound message with its state in words."""
        indent = max(2, width // 6)
        inner = max(10, width - indent - 4)
        selected = self.has_focus and entry.id == self.selected_id
        header = entry_header(entry, format_clock(entry.created_at), selected=selected)
        parts = [header, entry_body(entry)]
        if selected:
            keys = self._keys_in_force()
            parts.append(hint_words(entry, keys))
        strips: list[Strip] = []
        for part in parts:
            strips += Visual.to_strips(self, part, inner, None, base)
        bar = Strip.blank(indent, base.rich_style)
        mark_style = "$accent" if selected else "$panel-lighten-2"
        bar_mark = Visual.to_strips(self, Content.styled("┆ ", mark_style), 2, 1, base)[0]
        out = [
            Strip.join([bar, bar_mark, strip]).extend_cell_length(width, base.rich_style)
            for strip in strips
        ]
        out.append(Strip.blank(width, base.rich_style))
        return out

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
