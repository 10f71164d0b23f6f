"""The inbox's triage, search and filter actions, as a base class of the main screen.

Kept apart from :mod:`.main` (layout, service messages, opening and sending) so
each stays small: everything here acts on the conversation list — which row an
action applies to, read marks with undo, moves, the search as you type and the
filters — through the :class:`~sendbee_tui.tui.inbox.InboxService`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from sendbee_tui.api import Conversation
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.inbox import InboxService
from sendbee_tui.tui.inbox.conversations import model_id
from sendbee_tui.tui.inbox.filters import ListFilter, tag_names
from sendbee_tui.tui.inbox.triage import conversations as n_conversations
from sendbee_tui.tui.widgets.composer import Composer
from sendbee_tui.tui.widgets.conversation_list import ConversationList
from sendbee_tui.tui.widgets.filter_bar import FilterBar, filter_summary
from sendbee_tui.tui.widgets.status import FolderTabs
from sendbee_tui.tui.widgets.thread import Thread
from sendbee_tui.tui.widgets.thread_header import ThreadHeader

if TYPE_CHECKING:
    from sendbee_tui.tui.screens.list_filter import FilterChoice

__all__ = ["SEARCH_DEBOUNCE", "InboxActions"]

#: Delay between the last key typed in the search box and the search (as on the contacts screen).
SEARCH_DEBOUNCE = 0.3


class InboxActions(Screen[None]):
    """Triage, search and filter actions of the inbox (the main screen subclasses it)."""

    service: InboxService
    _search_timer: Timer | None = None
    #: The filter dialog offers the claim filter (a team session's screen sets it).
    filter_claims = False

    def open_conversation(self, conv: Conversation) -> None:
        """Show ``conv`` (the main screen implements it)."""
        raise NotImplementedError

    @property
    def conv_list(self) -> ConversationList:
        return self.query_one(ConversationList)

    @property
    def thread(self) -> Thread:
        return self.query_one(Thread)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    # ------------------------------------------------------------------ actions

    def _selected(self) -> Conversation | None:
        """The conversation actions apply to.

        With the list focused: the highlighted row, and nothing when the list is
        empty (an empty search or filter result) — never a conversation the agent
        cannot see.  From the thread or composer: the open conversation.
        """
        if isinstance(self.focused, ConversationList):
            return self.conv_list.highlighted
        return self.service.current_conversation or self.conv_list.highlighted

    def _selected_or_say(self, what: str) -> Conversation | None:
        conv = self._selected()
        if conv is None:
            self.app.notify(
                f"No conversation selected: nothing to {what}.", markup=False, timeout=3
            )
        return conv

    def action_folder(self, folder: str) -> None:
        self.query_one(FolderTabs).folder = folder
        self.app.run_worker(
            self.service.set_folder(folder), group="view", exclusive=True, exit_on_error=False
        )
        self.conv_list.focus()

    # ------------------------------------------------------------------ search and filters

    def _filtering(self) -> bool:
        return self.service.filter.active or self.service.view.unread_only

    def _update_filter_bar(self) -> None:
        view = self.service.view
        labels = self.service.filter.describe() + (["unread only"] if view.unread_only else [])
        summary = filter_summary(
            labels,
            search=view.search,
            text_coverage=self.service.text_coverage() if view.search else 0,
        )
        self.filter_bar.show(summary, active=bool(view.search) or self._filtering())

    def action_search(self) -> None:
        search = self.filter_bar.input
        self.filter_bar.add_class("-active")
        search.value = self.service.view.search
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Search as you type, once the typing pauses."""
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value.strip()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._apply_search(value))

    def _apply_search(self, query: str) -> None:
        if query == self.service.view.search:
            return
        self.app.run_worker(
            self.service.set_search(query), group="view", exclusive=True, exit_on_error=False
        )

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search(event.value.strip())
        self.conv_list.focus()
        self._update_filter_bar()

    @on(events.DescendantBlur, "#search")
    def _search_left(self) -> None:
        self.call_after_refresh(self._update_filter_bar)

    def action_escape(self) -> None:
        search = self.filter_bar.input
        if search.has_focus or self.service.view.search:
            if self._search_timer is not None:
                self._search_timer.stop()
            search.value = ""
            if self.service.view.search:
                self.app.run_worker(
                    self.service.set_search(""), group="view", exclusive=True, exit_on_error=False
                )
            self.conv_list.focus()
            self.call_after_refresh(self._update_filter_bar)
        elif not isinstance(self.focused, ConversationList):
            self.conv_list.focus()

    def action_filter(self) -> None:
        """``f``: the filter dialog (tags are read from the server first)."""

        from sendbee_tui.tui.screens.list_filter import ListFilterModal  # on first use

        async def run() -> None:
            tags: list[str] = []
            note = ""
            try:
                tags = await tag_names(self.service.client)
            except Exception as exc:
                note = f"Tags could not be loaded: {describe_error(exc)}"
            current = self.service.filter
            if current.tag and current.tag not in tags:
                tags = sorted([*tags, current.tag], key=str.casefold)
            self.app.push_screen(
                ListFilterModal(
                    current,
                    unread_only=self.service.view.unread_only,
                    tags=tags,
                    tags_note=note,
                    claims=self.filter_claims,
                ),
                self._filter_chosen,
            )

        self.app.run_worker(run(), group="filter-dialog", exclusive=True, exit_on_error=False)

    def _filter_chosen(self, choice: FilterChoice | None) -> None:
        if choice is None:
            return
        if choice.unread_only != self.service.view.unread_only:
            self.service.set_unread_only(choice.unread_only)
        self._set_filter(choice.filter)
        self.conv_list.focus()

    def _set_filter(self, wanted: ListFilter) -> None:
        async def run() -> None:
            try:
                await self.service.set_filter(wanted)
            finally:
                self._update_filter_bar()

        self._update_filter_bar()
        self.app.run_worker(run(), group="view-filter", exclusive=True, exit_on_error=False)

    def action_clear_filters(self) -> None:
        """``F``: drop the search and every filter (unread only included)."""
        if not (self.service.view.search or self._filtering()):
            self.app.notify("No filter to clear.", markup=False, timeout=2)
            return
        if self.service.view.unread_only:
            self.service.set_unread_only(False)
        if self.service.filter.active:
            self._set_filter(ListFilter())
        if self.service.view.search or self.filter_bar.input.value:
            self.filter_bar.input.value = ""
            if self._search_timer is not None:
                self._search_timer.stop()
            self._apply_search("")
        self.conv_list.focus()
        self.call_after_refresh(self._update_filter_bar)

    # ------------------------------------------------------------------ actions

    def action_reply(self) -> None:
        conv = self.service.current_conversation
        if conv is None and self.conv_list.highlighted is not None:
            self.open_conversation(self.conv_list.highlighted)
        elif conv is not None:
            # Reply to what the customer wrote last: show the newest message.
            self.thread.scroll_end(animate=False, force=True)
        self.composer.input.focus()

    def action_toggle_done(self) -> None:
        conv = self._selected_or_say("move")
        if conv is None:
            return
        target = "open" if conv.folder == "done" else "done"

        async def run() -> None:
            new = await self.service.move_undoable(conv, target)
            self.app.notify(
                f"Moved to {new.folder} (z undoes)"
                if new.folder == target
                else f"Server kept it in {new.folder}",
                markup=False,
                timeout=3,
            )

        self.app.run_worker(run(), group="action", exit_on_error=False)

    def action_toggle_chatbot(self) -> None:
        conv = self._selected_or_say("switch")
        if conv is None:
            return

        async def run() -> None:
            active = await self.service.set_chatbot(model_id(conv), not conv.chatbot_active)
            self.app.notify(f"Chatbot is {'on' if active else 'off'}", markup=False, timeout=3)

        self.app.run_worker(run(), group="action", exit_on_error=False)

    def action_next_unread(self) -> None:
        """``n``: the highlighted row if it is unread, else the next unread one below
        it (wrapping around)."""
        rows = self.conv_list.rows
        if not rows:
            self.app.notify("No unread conversations", markup=False, timeout=2)
            return
        start = min(self.conv_list.cursor, len(rows) - 1)
        for offset in range(len(rows)):
            i = (start + offset) % len(rows)
            if self.service.is_unread(rows[i]):
                self.conv_list.cursor = i
                self.conv_list.focus()
                self.open_conversation(rows[i])
                return
        self.app.notify("No unread conversations", markup=False, timeout=2)

    def action_mark_unread(self) -> None:
        conv = self._selected_or_say("mark unread")
        if conv is None:
            return
        if conv.id == self.service.current_id:
            self.service.close_conversation()
            self.conv_list.open_id = None
            self.thread.show_placeholder("Marked unread — Enter opens it again")
            self.composer.load(None, "", window_open=True)
            self.query_one(ThreadHeader).show(None, 0.0)
        self.service.mark_unread(model_id(conv))
        self.conv_list.refresh_rows()

    def action_mark_all_read(self) -> None:
        """``A``: asks first; ``z`` takes it back."""
        count = self.service.unread_count()
        if not count:
            self.app.notify("Nothing is unread.", markup=False, timeout=2)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                done = self.service.mark_all_read()
                self.conv_list.refresh_rows()
                self.app.notify(
                    f"Marked {n_conversations(done)} read (z undoes)", markup=False, timeout=3
                )

        self.app.push_screen(
            ConfirmModal(
                f"Mark all {n_conversations(count)} read, in every folder? z undoes it afterwards.",
                title="Mark all read",
                confirm_label="Mark read",
                cancel_label="Cancel",
            ),
            answered,
        )

    def action_undo(self) -> None:
        """``z``: take back the last mark unread, mark all read or move."""

        async def run() -> None:
            done = await self.service.undo()
            self.conv_list.refresh_rows()
            self.app.notify(done or "Nothing to undo.", markup=False, timeout=3)

        self.app.run_worker(run(), group="action", exit_on_error=False)

    def action_toggle_unread_only(self) -> None:
        self.service.set_unread_only(not self.service.view.unread_only)
        self._update_filter_bar()

    def action_toggle_sort(self) -> None:
        # "Window closing soonest" orders the whole folder: choosing it loads every
        # page of the view, several requests at a time (ListSync.load_all).
        new = "window" if self.service.view.sort == "recent" else "recent"
        self.service.set_sort(new)
        self.app.notify(
            "Sorted by 24-hour window closing soonest"
            if new == "window"
            else "Sorted by most recent",
            markup=False,
            timeout=2,
        )

    def _update_flags(self) -> None:
        self.query_one(FolderTabs).flags = (
            "sort: window" if self.service.view.sort == "window" else ""
        )
        self._update_filter_bar()
