"""The main inbox screen: conversation list, thread, contact pane, composer.

The screen routes :mod:`~sendbee_tui.tui.messages` from the InboxService to the
widgets and turns keys into service calls.  All network work runs in async
workers on the app (whose single ``Worker.StateChanged`` handler reports errors),
never in threads.

Its actions live in base classes, one module each: :mod:`.inbox_actions`
(triage, search, filters on the list) and :mod:`.reply_actions` (the composer's
and the outbox's messages).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Footer, TextArea

from sendbee_tui.api import Conversation
from sendbee_tui.tui import keys
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.cell_widths import use_terminal_widths
from sendbee_tui.tui.inbox import InboxService
from sendbee_tui.tui.inbox.conversations import model_id, window_left
from sendbee_tui.tui.overlay import use_overlay_safe_compositor
from sendbee_tui.tui.screens.reply_actions import ReplyActions
from sendbee_tui.tui.widgets.composer import Composer
from sendbee_tui.tui.widgets.contact_pane import ContactPane
from sendbee_tui.tui.widgets.conversation_list import ConversationList, window_label
from sendbee_tui.tui.widgets.filter_bar import FilterBar
from sendbee_tui.tui.widgets.status import FolderTabs, StatusLine
from sendbee_tui.tui.widgets.thread import Thread
from sendbee_tui.tui.widgets.thread_header import ThreadHeader

if TYPE_CHECKING:
    from sendbee_tui.tui.app import SendbeeApp

#: Narrower terminals hide the contact pane until ``i`` shows it.
NARROW = 140


class MainScreen(ReplyActions):
    """Inbox: folders + list on the left, the open thread and composer on the right."""

    AUTO_FOCUS = "ConversationList"
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("folder", "inbox")

    def __init__(self, service: InboxService, *, account: str, demo: bool) -> None:
        super().__init__()
        self.service = service
        self.account = account
        self.demo = demo
        self._contact_hidden_by_user: bool | None = None
        self._bot_warned: set[str] = set()
        self._loading_more = False
        self._search_timer: Timer | None = None
        #: What the clock tick last showed in the header: (conversation, window text).
        self._header_seen: tuple[Conversation, tuple[str, str]] | None = None
        #: The composer and its text box, held for :meth:`keep_composer_draft` (no query
        #: finds them once the screen is unmounted).
        self._composer: tuple[Composer, TextArea] | None = None
        # Wide characters survive overlays, combining marks measure as terminals draw them.
        use_overlay_safe_compositor(self)
        use_terminal_widths()

    @property
    def sapp(self) -> SendbeeApp:
        """The app, typed (a MainScreen only ever runs in a SendbeeApp)."""
        return cast("SendbeeApp", self.app)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        service = self.service
        status = StatusLine(clock=service.clock, id="status")
        status.account = self.account
        status.demo = self.demo
        yield status
        yield FolderTabs(id="folders")
        yield FilterBar(id="filter-bar")
        with Horizontal(id="panes"):
            yield ConversationList(
                preview_for=service.preview,
                unread_for=service.is_unread,
                need_previews=service.request_previews,
                marks_for=service.row_marks,
                clock=service.clock,
                id="conversations",
            )
            with Vertical(id="conversation"):
                yield ThreadHeader(id="thread-header")
                yield Thread(clock=service.clock, id="thread")
                yield Composer(id="composer")
            yield ContactPane(id="contact")
        yield Footer()

    @property
    def contact_pane(self) -> ContactPane:
        return self.query_one(ContactPane)

    def on_mount(self) -> None:
        # Relative times and 24-hour window countdowns age without any data change.
        self.set_interval(30, self._tick)
        self.filter_bar.input.cursor_blink = False
        self._composer = (self.composer, self.composer.input)
        self.composer.load(None, "", window_open=True)
        self._apply_width(self.size.width)
        status = self.query_one(StatusLine)
        keymap = keys.keymap_in_force(self.app)
        status.outbox_keys = (
            f"{keys.hint_key('inbox.goto', keymap)} {keys.hint_key('goto.outbox', keymap)}"
        )
        status.needs_you = self.service.needs_you()  # left by an earlier run

    def _tick(self) -> None:
        """Let times age on screen, repainting only what reads differently now.

        Rows redraw when their "5m" or window countdown text changes; the header
        (and the composer's window state) when the open conversation's window
        text does.  An idle inbox whose texts still read the same draws nothing.
        """
        self.conv_list.refresh_changed()
        current = self.service.current_conversation
        if current is not None:
            seen = (current, window_label(current, self.service.clock()))
            if seen != self._header_seen:
                self._header_seen = seen
                self._show_header(current)

    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        if self._contact_hidden_by_user is None:
            self.contact_pane.display = width >= NARROW
        else:
            self.contact_pane.display = not self._contact_hidden_by_user
        self.set_class(width < 100, "-narrow")

    # ------------------------------------------------------------------ service messages

    def on_conversations_changed(self, event: msg.ConversationsChanged) -> None:
        self.conv_list.empty_text = "Loading…" if event.loading else "No conversations"
        self.conv_list.set_rows(
            event.rows, has_more=event.has_more, keep_selection=event.keep_selection
        )
        tabs = self.query_one(FolderTabs)
        tabs.folder = event.folder
        if not self.service.view.search and tabs.counts.get(event.folder) != event.total:
            tabs.counts = {**tabs.counts, event.folder: event.total}
        self._update_flags()
        if not event.rows and (self.service.view.search or self._filtering()):
            self.conv_list.empty_text = (
                "Searching…" if event.loading else "No match (message text: loaded only)"
            )
        current = self.service.current_conversation
        if current is not None:
            self._show_header(current)

    def on_folder_counts(self, event: msg.FolderCounts) -> None:
        tabs = self.query_one(FolderTabs)
        if tabs.counts != event.counts:  # the same totals again: nothing to redraw
            tabs.counts = event.counts

    def on_previews_changed(self, event: msg.PreviewsChanged) -> None:
        self.conv_list.refresh_rows(event.conversation_ids)

    def on_thread_loading(self, event: msg.ThreadLoading) -> None:
        self.thread.show_placeholder("Loading…")

    def on_thread_loaded(self, event: msg.ThreadLoaded) -> None:
        if event.conversation_id != self.service.current_id:
            return
        conv = self.service.current_conversation
        name = conv.contact.name if conv is not None else ""
        self.thread.set_messages(
            event.conversation_id,
            event.messages,
            has_older=event.has_older,
            scroll_to_end=event.scroll_to_end,
            contact_name=name or "",
            entries=self.service.outbox_entries(event.conversation_id),
        )

    def on_contact_loaded(self, event: msg.ContactLoaded) -> None:
        if event.conversation_id == self.service.current_id:
            self.contact_pane.show(self.service.current_conversation, event.contact)

    def on_conversation_updated(self, event: msg.ConversationUpdated) -> None:
        if event.conversation.id == self.service.current_id:
            self._show_header(event.conversation)
            cached = self.service.contact_for(event.conversation)
            self.contact_pane.show(event.conversation, cached)

    def on_connection_changed(self, event: msg.ConnectionChanged) -> None:
        status = self.query_one(StatusLine)
        status.retry_at = time.monotonic() + event.retry_in if event.retry_in is not None else None
        status.last_sync = event.last_sync or status.last_sync
        status.detail = event.detail
        status.state = event.state
        status.mutate_reactive(StatusLine.state)
        if not self.conv_list.rows:
            self.conv_list.empty_text = (
                "No conversations"
                if event.state == "online"
                else "Cannot reach the server; retrying…"
            )
            self.conv_list.refresh()

    def on_unread_changed(self, event: msg.UnreadChanged) -> None:
        status = self.query_one(StatusLine)
        status.unread = event.count
        status.unread_partial = event.partial
        self.query_one(FolderTabs).unread = dict(event.by_folder)
        self.sapp.set_unread_title(event.count)

    def on_new_inbound(self, event: msg.NewInbound) -> None:
        self.conv_list.refresh_rows()
        for conv in event.conversations[:3]:
            if conv.id == self.service.current_id and self.app.focused is not None:
                continue
            name = conv.contact.name or conv.contact.phone or "customer"
            preview = self.service.preview(conv) or "new message"
            self.sapp.notify_inbound(name, preview)
        if len(event.conversations) > 3:
            self.app.notify(f"…and {len(event.conversations) - 3} more conversations", markup=False)

    def on_catch_up(self, event: msg.CatchUp) -> None:
        self.app.notify(event.summary, title="Catch-up", markup=False, timeout=10)

    # ------------------------------------------------------------------ widget messages

    @on(ConversationList.Selected)
    def _open_selected(self, event: ConversationList.Selected) -> None:
        self.open_conversation(event.conversation)

    @on(ConversationList.NeedMore)
    def _load_more(self) -> None:
        if self._loading_more:
            return
        self._loading_more = True

        async def run() -> None:
            try:
                await self.service.load_more()
            finally:
                self._loading_more = False

        self.app.run_worker(run(), group="load-more", exit_on_error=False)

    @on(Thread.NeedOlder)
    def _load_older(self) -> None:
        self.app.run_worker(self.service.load_older(), group="load-older", exit_on_error=False)

    @on(Thread.NeedAll)
    def _load_whole_thread(self) -> None:
        self.app.run_worker(
            self.service.load_whole_thread(), group="load-older", exit_on_error=False
        )

    @on(FolderTabs.Clicked)
    def _folder_clicked(self, event: FolderTabs.Clicked) -> None:
        self.action_folder(event.folder)

    # ------------------------------------------------------------------ opening

    def open_conversation(self, conv: Conversation) -> None:
        """Show ``conv`` in the thread, contact pane and composer (with its draft).

        Opening the conversation that is already open only scrolls its thread to
        the newest message: the focus stays where it is, so the next key does what
        it did before (``r`` is the key that moves to the composer).
        """
        if self.service.current_id == conv.id and self.thread.conversation_id == conv.id:
            self.thread.scroll_end(animate=False, force=True)
            return
        # Save the draft of the conversation we are leaving (it is saved as typed too).
        conv_id = model_id(conv)
        self.conv_list.open_id = conv_id
        self._show_header(conv)
        self.contact_pane.show(conv, self.service.contact_for(conv))
        self.composer.load(
            conv,
            self.service.get_draft(conv_id),
            window_open=window_left(conv, self.service.clock()) is not None,
            prevent_bot_off=self.service.prevent_bot_off(conv_id),
            media_url=self.service.get_media_draft(conv_id),
        )
        if conv.chatbot_active and not self.service.has_sent(conv_id):
            self.composer.update_notice(bot_warning=True)
        self.app.run_worker(
            self.service.open_conversation(conv_id),
            group="open",
            exclusive=True,
            exit_on_error=False,
        )
        self.conv_list.refresh_rows()

    def _show_header(self, conv: Conversation) -> None:
        now = self.service.clock()
        self.query_one(ThreadHeader).show(conv, now)
        if self.composer.conversation is not None and self.composer.conversation.id == conv.id:
            self.composer.conversation = conv
            self.composer.update_bot_label()
            was_open = self.composer.window_open
            self.composer.window_open = window_left(conv, now) is not None
            if was_open != self.composer.window_open:
                self.composer.update_notice()

    def action_toggle_contact(self) -> None:
        pane = self.contact_pane
        pane.display = not pane.display
        self._contact_hidden_by_user = not pane.display

    def action_refresh(self) -> None:
        self.service.wake()

    def action_contact_edit(self, what: str = "form") -> None:
        """``e`` form, ``+`` / ``-`` tags, ``N`` note: the open conversation's contact."""
        from sendbee_tui.tui.screens.contacts.at_hand import edit_contact_at_hand

        edit_contact_at_hand(self, self.service, what)

    def action_goto(self) -> None:
        from sendbee_tui.tui.screens.goto import GotoScreen

        def picked(where: str | None) -> None:
            if where == "top":
                self.conv_list.action_first()
            elif where:
                self.app.run_worker(self.app.run_action(f"open_{where}"), exit_on_error=False)

        self.app.push_screen(GotoScreen(), picked)
