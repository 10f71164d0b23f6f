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

from textual.app import ComposeResult
from textual.command import Provider
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.forms.palette import PaletteCommand, ScreenCommands
from sendbee_tui.tui.forms.style import FORMS_CSS
from sendbee_tui.tui.safe_text import clean_model, literal
from sendbee_tui.tui.widgets.search_input import SearchInput

__all__ = [
    "RecordScreen",
    "SearchInput",
    "fetch_sorted_by_name",
    "highlighted_record",
    "list_beside_detail",
    "show_status",
]

T = TypeVar("T")
CellT = TypeVar("CellT")


def list_beside_detail(name: str, title: str) -> ComposeResult:
    """A manage screen's body: a title line, a row table beside a scrolling detail, a
    status line and the footer, under the ids ``#<name>-title``, ``#<name>-table``,
    ``#<name>-detail`` (holding ``#<name>-text``) and ``#<name>-status``."""
    yield Static(literal(title), id=f"{name}-title")
    with Horizontal(classes="manage-body"):
        yield DataTable(
            id=f"{name}-table", classes="manage-list", cursor_type="row", zebra_stripes=True
        )
        with VerticalScroll(id=f"{name}-detail", classes="manage-detail"):
            yield Static("", id=f"{name}-text")
    yield Static("", id=f"{name}-status", classes="manage-status")
    yield Footer()


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
