"""The contacts list itself: pages fetched as the cursor nears the end, filters, detail pane.

The list pages lazily: the first page arrives at once and the next one is
fetched when the cursor gets near the end, so a 50 000-contact account costs one
request to open.  Search (debounced, on the server), tag and status filters
start over from page 1; a page that answers after the filters changed is
dropped (``_generation``).  The table only renders visible rows.

What the agent can *do* with a contact (edit, open its conversation, send a
template) is :class:`~sendbee_tui.tui.screens.contacts.list_screen.ContactsScreen`'s,
the screen built on this one.  Contact names, notes, tags and field values are
untrusted: cells are ``rich.text.Text`` of cleaned strings and everything else is
:func:`~sendbee_tui.tui.safe_text.literal` Content, never markup.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Select, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import Contact, ContactField, Tag
from sendbee_tui.api.validation import CONTACT_STATUSES
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.safe_text import clean, clean_model, literal
from sendbee_tui.tui.screens.contacts.detail import contact_detail
from sendbee_tui.tui.widgets.record_list import RecordScreen, SearchInput, highlighted_record

__all__ = [
    "COLUMNS",
    "PAGE_SIZE",
    "PREFETCH_MARGIN",
    "SEARCH_DEBOUNCE",
    "PagedContactList",
    "load_all",
]

#: Contacts fetched per request while scrolling.
PAGE_SIZE = 50
#: Fetch the next page when the cursor is this close to the last loaded row.
PREFETCH_MARGIN = 10
#: Column keys of the table, in order.
COLUMNS = ("name", "phone", "status", "tags")
#: Delay between the last key typed in the search box and the request.
SEARCH_DEBOUNCE = 0.3

T = TypeVar("T")


async def load_all(items: AsyncIterator[T], limit: int = 1000) -> list[T]:
    """Collect up to ``limit`` items of an async iterator (tags, field definitions)."""
    collected: list[T] = []
    async for item in items:
        collected.append(item)
        if len(collected) >= limit:
            break
    return collected


@dataclass
class _Filters:
    search: str = ""
    tag: str | None = None
    status: str | None = None


class PagedContactList(RecordScreen):
    """The paged, filterable contacts table with its detail pane (no contact actions).

    Subclasses define :meth:`action_edit`, which Enter on a row (or on a row
    chosen from the search box) runs.
    """

    STATUS_LINE = "#contacts-status-line"
    # Below 130 columns the detail pane is hidden so the list stays readable at 80x24.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    def __init__(
        self, client: SendbeeClient, *, name: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(client, name=name, id=id)
        self.filters = _Filters()
        self.contacts: list[Contact] = []
        self.tags: list[Tag] = []
        self.fields: list[ContactField] = []
        self.total: int | None = None
        self._next_page: int | None = 1
        self._generation = 0
        self._loading = False
        self._search_timer: Timer | None = None
        self.title = "Contacts"

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(classes="manage-toolbar"):
            yield SearchInput(
                placeholder="Search name or phone  (/)",
                id="contacts-search",
                compact=True,
                target="#contacts-table",
            )
            yield Select[str]([], prompt="Any tag", id="contacts-tag", compact=True)
            yield Select[str](
                [(s, s) for s in CONTACT_STATUSES],
                prompt="Any status",
                id="contacts-status",
                compact=True,
            )
        with Horizontal(classes="manage-body"):
            table: DataTable[Text] = DataTable(
                id="contacts-table", classes="manage-list", cursor_type="row", zebra_stripes=True
            )
            yield table
            with VerticalScroll(id="contact-detail", classes="manage-detail"):
                yield Static(literal("No contact selected."), id="contact-detail-body")
        yield Static("", id="contacts-status-line", classes="manage-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#contacts-table", DataTable)
        table.add_column("Name", key="name", width=24)
        table.add_column("Phone", key="phone", width=16)
        table.add_column("Status", key="status", width=12)
        table.add_column("Tags", key="tags", width=28)
        table.focus()
        self.load_metadata()
        self.reload()

    # -- status ------------------------------------------------------------------

    def _count_status(self) -> None:
        shown = len(self.contacts)
        total = self.total if self.total is not None else shown
        more = " — scroll for more" if self._next_page else ""
        self.set_status(f"{shown} of {total} contacts{more}")

    # -- loading -----------------------------------------------------------------

    @work(group="contacts-meta", exclusive=True, exit_on_error=False)
    async def load_metadata(self) -> None:
        """Tags (for the filter and the form) and custom field definitions."""
        try:
            tags = await load_all(self.client.tags.iterate())
            fields = await load_all(self.client.fields.iterate())
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self.tags = [clean_model(t) for t in tags]
        self.fields = [clean_model(f) for f in fields]
        select = self.query_one("#contacts-tag", Select)
        current = select.value
        names = sorted({t.name for t in self.tags if t.name}, key=str.casefold)
        select.set_options([(literal(n), n) for n in names])
        if current is not Select.NULL and current in names:
            select.value = current

    def reload(self) -> None:
        """Start over from page 1 with the current filters."""
        self._generation += 1
        self._next_page = 1
        # Rows chosen with the arrows belong to the old list.
        self.query_one("#contacts-search", SearchInput).navigated = False
        self.contacts = []
        self.total = None
        self.query_one("#contacts-table", DataTable).clear()
        self._show_detail(None)
        self.set_status("Loading contacts…")
        self._load_page(self._generation)

    @work(group="contacts-page", exclusive=True, exit_on_error=False)
    async def _load_page(self, generation: int) -> None:
        page_number = self._next_page
        if page_number is None:
            return
        self._loading = True
        f = self.filters
        try:
            page = await self.client.contacts.list(
                tags=[f.tag] if f.tag else None,
                status=f.status,
                search_query=f.search or None,
                page=page_number,
                limit=PAGE_SIZE,
            )
        except SendbeeError as exc:
            if generation == self._generation:
                self.set_status(describe_error(exc), error=True)
            return
        finally:
            self._loading = False
        if generation != self._generation:
            return  # the filters changed meanwhile; a newer load is on its way
        self.total = page.meta.total if page.meta else None
        self._next_page = page_number + 1 if page.has_next() else None
        self._append([clean_model(c) for c in page.items])
        self._count_status()
        if not self.contacts:
            filtered = bool(f.search or f.tag or f.status)
            self.set_status("No contacts match." if filtered else "No contacts yet.")

    def _append(self, contacts: list[Contact]) -> None:
        table = self.query_one("#contacts-table", DataTable)
        known = {c.id for c in self.contacts}
        first = not self.contacts
        for contact in contacts:
            if contact.id in known:
                continue  # a contact that moved between pages while paging
            known.add(contact.id)
            self.contacts.append(contact)
            table.add_row(*self._cells(contact), key=contact.id or f"row{len(self.contacts)}")
        if first and self.contacts:
            self._show_detail(self.contacts[0])

    @staticmethod
    def _cells(contact: Contact) -> list[Text]:
        tags = ", ".join(t.name for t in contact.tags if t.name)
        return [
            Text(clean(contact.name) or "—"),
            Text(clean(contact.phone)),
            Text(clean(contact.status)),
            Text(clean(tags)),
        ]

    def _maybe_load_more(self, row: int) -> None:
        if self._next_page and not self._loading and row >= len(self.contacts) - PREFETCH_MARGIN:
            self._loading = True
            self._load_page(self._generation)

    # -- selection and detail ----------------------------------------------------

    @property
    def selected(self) -> Contact | None:
        """The highlighted contact."""
        return highlighted_record(self.query_one("#contacts-table", DataTable), self.contacts)

    @on(DataTable.RowHighlighted, "#contacts-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.contacts):
            self._show_detail(self.contacts[event.cursor_row])
        self._maybe_load_more(event.cursor_row)

    @on(DataTable.RowSelected, "#contacts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        """Open the highlighted contact (the subclass decides how)."""
        raise NotImplementedError

    def _show_detail(self, contact: Contact | None) -> None:
        body = self.query_one("#contact-detail-body", Static)
        body.update(contact_detail(contact) if contact else literal("No contact selected."))

    def replace_contact(self, contact: Contact) -> None:
        """Show the server's stored version of a contact in the list and detail."""
        table = self.query_one("#contacts-table", DataTable)
        for index, existing in enumerate(self.contacts):
            if existing.id == contact.id:
                self.contacts[index] = contact
                for key, cell in zip(COLUMNS, self._cells(contact), strict=True):
                    table.update_cell(contact.id or "", key, cell)
                break
        else:
            # A new contact goes on top; DataTable only appends, so rebuild the rows.
            self.contacts.insert(0, contact)
            table.clear()
            for c in self.contacts:
                table.add_row(*self._cells(c), key=c.id)
            if self.total is not None:
                self.total += 1
        table.move_cursor(row=self.contacts.index(contact))
        self._show_detail(contact)
        self._count_status()

    # -- filters -----------------------------------------------------------------

    @on(Input.Changed, "#contacts-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        value = event.value.strip()
        self._search_timer = self.set_timer(SEARCH_DEBOUNCE, lambda: self._apply_search(value))

    @on(Input.Submitted, "#contacts-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter opens the row chosen with the arrows, else searches now.

        The search runs on the server, so right after typing the rows on screen
        may not match the box yet: only a row the agent moved to with Up/Down
        since the query last changed counts as chosen (fzf-like), and otherwise
        Enter runs the search at once and moves to the list.
        """
        event.stop()
        search = self.query_one("#contacts-search", SearchInput)
        value = event.value.strip()
        if search.navigated and value == self.filters.search and self.selected is not None:
            self.action_edit()
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search(value)
        self.query_one("#contacts-table", DataTable).focus()

    def _apply_search(self, value: str) -> None:
        if value != self.filters.search:
            self.filters.search = value
            self.reload()

    @on(Select.Changed, "#contacts-tag")
    def _tag_changed(self, event: Select.Changed) -> None:
        tag = None if event.value is Select.NULL else str(event.value)
        if tag != self.filters.tag:
            self.filters.tag = tag
            self.reload()

    @on(Select.Changed, "#contacts-status")
    def _status_changed(self, event: Select.Changed) -> None:
        status = None if event.value is Select.NULL else str(event.value)
        if status != self.filters.status:
            self.filters.status = status
            self.reload()

    # -- actions -----------------------------------------------------------------

    def action_close(self) -> None:
        """Escape: from the search/filter bar back to the list, from the list back out."""
        table = self.query_one("#contacts-table", DataTable)
        if self.focused is not None and self.focused is not table:
            table.focus()
            return
        self.dismiss(None)

    def action_focus_search(self) -> None:
        """Jump to the search box."""
        self.query_one("#contacts-search", Input).focus()

    def action_refresh(self) -> None:
        """Reload tags, fields and the list."""
        self.load_metadata()
        self.reload()
