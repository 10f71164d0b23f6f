"""The thread's outbox entries: which one is selected, its keys, how it is drawn.

A base class of :class:`~.thread.Thread`.  After the messages come the
conversation's replies still in the outbox (:mod:`.outbox_entry`): queued, on
their way, being checked, failed or unconfirmed, each with its state in words.
While the thread has the focus one of them is selected (``o``/``O`` move) and
the outbox keys act on it; the widget only asks (:class:`ThreadOutbox.OutboxAction`,
reached as ``Thread.OutboxAction``), the screen decides.
"""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from sendbee_tui.outbox import OutboxEntry, State
from sendbee_tui.tui import keys
from sendbee_tui.tui.widgets.line_view import LineScrollView
from sendbee_tui.tui.widgets.outbox_entry import allowed, entry_body, entry_header, hint_words
from sendbee_tui.tui.widgets.thread_text import format_clock

__all__ = ["ThreadOutbox"]


class ThreadOutbox(LineScrollView):
    """Outbox entries shown after the thread's messages (the thread sets the attributes)."""

    class OutboxAction(Message, namespace="thread"):
        """An outbox key on the selected entry; ``action`` is its key id (``outbox.retry``)."""

        def __init__(self, action: str, entry: OutboxEntry) -> None:
            super().__init__()
            self.action = action
            self.entry = entry

    conversation_id: str | None
    #: The conversation's outbox entries (all); ``shown`` those drawn after the messages.
    entries: list[OutboxEntry]
    shown: list[OutboxEntry]
    selected_id: str | None
    _follow: bool

    def _rebuild(self) -> None:
        """Lay every line out again (the thread implements it)."""
        raise NotImplementedError

    def _scroll_end_if_following(self) -> None:
        raise NotImplementedError

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
        return allowed(action.replace("_", ".", 1), entry)

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

    def _entry_lines(self, entry: OutboxEntry, width: int, base: Style) -> list[Strip]:
        """An outbox entry, drawn like an outbound message with its state in words."""
        indent = max(2, width // 6)
        inner = max(10, width - indent - 4)
        selected = self.has_focus and entry.id == self.selected_id
        header = entry_header(entry, format_clock(entry.created_at), selected=selected)
        parts = [header, entry_body(entry)]
        if selected:
            parts.append(hint_words(entry, keys.hint_keys(self.app, "outbox")))
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
