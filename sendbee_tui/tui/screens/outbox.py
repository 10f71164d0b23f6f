"""The outbox screen (``g o``): every reply not sent yet, in every conversation.

The thread shows a conversation's replies under its messages, which is where an
agent meets them while she works.  Some replies have no thread to be seen in: a
template to a new number has no conversation until Sendbee confirms it, so when
its answer is lost it would be in the outbox and on no screen.  And after a
stretch offline, "what is still waiting, and what needs me?" is one question
about the whole account.  This screen answers it, like the postponed/outbox
folders of mail clients: one row per reply, the ones that need the agent
(failed, unconfirmed) first, and the same keys as in the thread (retry, check
again, send again anyway, edit, discard; ``[keymap]`` ids ``outbox.*``).
Enter opens the reply's conversation; ``e`` opens it with the text back in the
composer.

Rows follow the outbox as it works (a listener on it), so a reply that goes out
while the screen is open turns "sent" and leaves the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from sendbee_tui.outbox import Outbox, OutboxEntry, State
from sendbee_tui.tui import keys
from sendbee_tui.tui.forms import FORMS_CSS, PaletteCommand, ScreenCommands
from sendbee_tui.tui.forms.palette import screen_commands
from sendbee_tui.tui.outbox_commands import run_outbox_action
from sendbee_tui.tui.safe_text import literal
from sendbee_tui.tui.widgets.conversation_list import relative_time
from sendbee_tui.tui.widgets.outbox_entry import (
    allowed,
    entry_body,
    hint_words,
    state_mark,
    state_words,
)
from sendbee_tui.tui.widgets.record_list import list_beside_detail

__all__ = ["OUTBOX_KEYS", "OutboxScreen", "waiting_entries"]

#: The thread's outbox keys, offered here too (same ids, so one keymap entry moves both).
OUTBOX_KEYS = ("outbox.retry", "outbox.recheck", "outbox.resend", "outbox.edit", "outbox.discard")

#: Cells of the reply column (the detail pane beside the list has the whole text).
_REPLY_WIDTH = 28

#: Row order: what needs the agent first, then what the outbox is still working on.
_ORDER = {
    State.UNCONFIRMED: 0,
    State.FAILED: 1,
    State.CHECKING: 2,
    State.SENDING: 3,
    State.QUEUED: 4,
}


def waiting_entries(outbox: Outbox) -> list[OutboxEntry]:
    """Every reply not sent yet, the ones that need the agent first, oldest first within."""
    return sorted(outbox.pending(), key=lambda e: (_ORDER.get(e.state, 9), e.created_at, e.seq))


class OutboxScreen(Screen[None]):
    """One row per reply not sent yet; the thread's outbox keys act on the selected one.

    Args:
        outbox: The account's outbox.
        who: Names an entry's customer (contact name, else the phone).
        open_conversation: Opens the entry's conversation in the inbox; with
            ``edit=True`` the reply's text goes back to its composer.
        clock: Current Unix time (for "5m" ages).
    """

    CSS_PATH = FORMS_CSS
    COMMANDS: ClassVar[set[Any]] = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("pending", "records", only=OUTBOX_KEYS)
    DEFAULT_CSS = """
    OutboxScreen #outbox-title { padding: 0 1; text-style: bold; height: 1; margin-bottom: 1; }
    OutboxScreen #outbox-table { width: 1fr; }
    OutboxScreen #outbox-detail { width: 40; }
    """

    def __init__(
        self,
        outbox: Outbox,
        *,
        who: Callable[[OutboxEntry], str],
        open_conversation: Callable[[OutboxEntry, bool], object],
        clock: Callable[[], float],
    ) -> None:
        super().__init__()
        self.outbox = outbox
        self._who = who
        self._open = open_conversation
        self._clock = clock
        self.entries: list[OutboxEntry] = []
        self._unsubscribe: Callable[[], None] | None = None
        self._live = False
        self.title = "Outbox"

    def compose(self) -> ComposeResult:
        yield from list_beside_detail(
            "outbox", "Outbox: replies not sent yet, in every conversation"
        )

    def on_mount(self) -> None:
        table = self.query_one("#outbox-table", DataTable)
        # Fixed widths: rows come and go as the outbox works, and the columns must not jump.
        table.add_column("State", key="state", width=13)
        table.add_column("To", key="to", width=20)
        table.add_column("Reply", key="reply", width=_REPLY_WIDTH)
        table.add_column("Since", key="since", width=6)
        table.focus()
        self._live = True
        self._render_rows()
        # The outbox calls its listeners on this loop; the list is redrawn once per batch.
        self._unsubscribe = self.outbox.subscribe(lambda _entry: self.call_later(self._render_rows))

    def on_unmount(self) -> None:
        self._live = False
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def palette_commands(self) -> list[PaletteCommand]:
        """Every key of the screen, for the command palette."""
        selected = self.selected
        return [
            *screen_commands(self, "pending", "Outbox"),
            *screen_commands(
                self, "outbox", "Outbox", keep=lambda spec: allowed(spec.id, selected)
            ),
        ]

    # -- the list ----------------------------------------------------------------

    @property
    def selected(self) -> OutboxEntry | None:
        """The entry under the cursor (None when the list is empty)."""
        table = self.query_one("#outbox-table", DataTable)
        if not self.entries or table.cursor_row < 0 or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def _render_rows(self) -> None:
        if not self._live:
            return  # unmounted: a listener call that was already on its way
        table = self.query_one("#outbox-table", DataTable)
        keep = self.selected.id if self.selected is not None else None
        self.entries = waiting_entries(self.outbox)
        now = self._clock()
        table.clear()
        for entry in self.entries:
            table.add_row(
                state_mark(entry),
                literal(self._who(entry)),
                literal(_one_line(entry)),
                relative_time(entry.created_at, now),
                key=entry.id,
            )
        ids = [e.id for e in self.entries]
        if keep in ids:
            table.move_cursor(row=ids.index(keep), animate=False)
        needing = sum(1 for e in self.entries if e.state in (State.FAILED, State.UNCONFIRMED))
        count = len(self.entries)
        status = (
            f"{count} repl{'ies' if count != 1 else 'y'} not sent yet"
            + (f", {needing} need{'s' if needing == 1 else ''} you" if needing else "")
            if count
            else "Nothing waiting: every reply has been sent."
        )
        self.query_one("#outbox-status", Static).update(literal(status))
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        entry = self.selected
        text = self.query_one("#outbox-text", Static)
        if entry is None:
            text.update("")
            return
        where = (
            "its conversation"
            if entry.conversation_id
            else "no conversation yet (a template to a new number)"
        )
        text.update(
            Content("\n\n").join(
                [
                    Content.assemble(("To ", "bold"), literal(self._who(entry)), f" — {where}"),
                    literal(state_words(entry)),
                    entry_body(entry),
                    hint_words(entry, keys.hint_keys(self.app, "outbox")),
                ]
            )
        )

    @on(DataTable.RowHighlighted, "#outbox-table")
    def _highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#outbox-table")
    def _row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_conversation()

    # -- keys --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The outbox keys are offered only where they apply to the selected reply."""
        if action.startswith("outbox_"):
            return allowed(action.replace("_", ".", 1), self.selected)
        if action == "open_conversation":
            selected = self.selected
            return selected is not None and selected.conversation_id is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_open_conversation(self) -> None:
        entry = self.selected
        if entry is None:
            return
        if entry.conversation_id is None:
            self.notify(
                "This reply has no conversation yet: Sendbee has not confirmed it.",
                markup=False,
            )
            return
        self.dismiss(None)
        self._open(entry, False)

    def _run(self, action: str) -> None:
        entry = self.selected
        if entry is not None:
            run_outbox_action(
                self.app, self.outbox, action, entry, who=self._who(entry), edit=self._edit
            )

    def _edit(self, entry: OutboxEntry) -> None:
        """``e``: the reply goes back to its conversation's composer (the inbox does it;
        only text and media replies are edited, and those always have a conversation)."""
        self.dismiss(None)
        self._open(entry, True)

    def action_outbox_retry(self) -> None:
        self._run("outbox.retry")

    def action_outbox_recheck(self) -> None:
        self._run("outbox.recheck")

    def action_outbox_resend(self) -> None:
        self._run("outbox.resend")

    def action_outbox_edit(self) -> None:
        self._run("outbox.edit")

    def action_outbox_discard(self) -> None:
        self._run("outbox.discard")


def _one_line(entry: OutboxEntry) -> str:
    """The reply in one line (a template by its name and text); the table crops it."""
    text = " ".join((entry.text or "").split())
    if entry.payload.template_keyword:
        text = f"[{entry.payload.template_keyword}] {text}".strip()
    elif not text and (entry.payload.media_url or entry.payload.attachment):
        text = "[media]"
    return text
