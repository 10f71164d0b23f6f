"""Small pieces shared by the record screens (contacts, tags, fields, templates).

The contacts, tags and fields screens are each a DataTable of records over a
one-line status; these helpers are the parts that were the same in all three
(the client they are given, the status line, "which record is highlighted",
fetching every record sorted by name) so a fix lands in one place.

``SearchInput`` is a search box that steers a list while it keeps the focus, the
way fzf and command palettes do: the agent types, presses Down a couple of times
and Enter, without ever leaving the box.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Sequence
from typing import ClassVar, TypeVar

from textual.binding import BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui import keys
from sendbee_tui.tui.forms.palette import PaletteCommand, ScreenCommands
from sendbee_tui.tui.forms.style import FORMS_CSS
from sendbee_tui.tui.safe_text import clean_model, literal

__all__ = [
    "RecordScreen",
    "SearchInput",
    "fetch_sorted_by_name",
    "highlighted_record",
    "show_status",
]

T = TypeVar("T")
CellT = TypeVar("CellT")


def show_status(line: Static, message: str, *, error: bool = False) -> None:
    """Put ``message`` on a status line, literally (it may quote server text)."""
    line.set_class(error, "-error")
    line.update(literal(message))


def highlighted_record(table: DataTable[CellT], records: Sequence[T]) -> T | None:
    """The record under the table's cursor (rows are in ``records`` order), if any."""
    row = table.cursor_row
    if table.row_count and 0 <= row < len(records):
        return records[row]
    return None


async def fetch_sorted_by_name(items: AsyncIterable[T]) -> list[T]:
    """Every item of a paged listing, cleaned on entry, sorted by name (any case).

    Tags and field definitions are few, so the screens fetch them all and sort
    locally; a :class:`~sendbee_tui.api.errors.SendbeeError` propagates.
    """
    fetched = [clean_model(item) async for item in items]
    return sorted(fetched, key=lambda item: (getattr(item, "name", None) or "").casefold())


class SearchInput(Input):
    """An Input whose Up/Down/PageUp/PageDown move the cursor of another widget.

    The target (an ``OptionList`` or a ``DataTable``: both have ``action_cursor_up``,
    ``action_cursor_down``, ``action_page_up`` and ``action_page_down``) is found by
    a CSS selector on the screen, so the box need not be composed after the list.

    ``navigated`` says whether the agent moved the highlight since the query last
    changed: screens whose search is slow (server-side) use it to tell "Enter = open
    what I chose" from "Enter = search now".

    Ctrl+N/Ctrl+P are deliberately not bound: Ctrl+P is the app's command palette
    and should keep working from every search box.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("search")

    def __init__(
        self,
        *,
        target: str,
        placeholder: str = "",
        id: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=compact)
        self.target = target
        self.navigated = False

    def action_move(self, how: str) -> None:
        """Run ``action_<how>`` on the target list; the focus stays here."""
        results = self.screen.query(self.target)
        if not results:
            return
        action = getattr(results.first(), f"action_{how}", None)
        if action is not None:
            action()
            self.navigated = True

    def _on_input_changed(self, event: Input.Changed) -> None:
        # A new query means a new result list: an earlier choice no longer counts.
        # (Not stopped: the screen handles Changed too.)
        self.navigated = False


class RecordScreen(Screen[None]):
    """Base of the contacts, tags and fields screens: client, stylesheet, palette, status.

    The client is given by whoever opens the screen (the app passes its own), so
    a screen never has to guess where the connection lives.  Subclasses set
    ``STATUS_LINE`` (the selector of their status ``Static``) and define
    :meth:`palette_commands` for :class:`ScreenCommands`.
    """

    CSS_PATH = FORMS_CSS
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {ScreenCommands}
    #: Selector of the one-line status under the list.
    STATUS_LINE: ClassVar[str] = ""

    def __init__(
        self, client: SendbeeClient, *, name: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(name=name, id=id)
        self.client = client

    def palette_commands(self) -> list[PaletteCommand]:
        """Every keyboard action of the screen, for the command palette."""
        return []

    def set_status(self, message: str, *, error: bool = False) -> None:
        """The line under the list: counts, loading, last error (literal text)."""
        show_status(self.query_one(self.STATUS_LINE, Static), message, error=error)
