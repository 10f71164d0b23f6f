"""Contacts: a searchable, filterable list with details, and the subscribe/edit form.

Opened from the inbox with ``g c`` (``action_open_contacts`` in the app) or the
command palette.  The list pages lazily: the first page arrives at once and the
next one is fetched when the cursor gets near the end, so a 50 000-contact account
costs one request to open.  The table only renders visible rows.

From a contact the agent can:

* ``a`` subscribe a new contact, ``e``/Enter edit the highlighted one
  (:class:`ContactForm`; the detail pane then shows what the server *stored*);
* ``o`` open that contact's conversation: the screen finds it with
  ``conversations.list(search_query=phone)`` and posts
  :class:`ContactsScreen.OpenConversation` to the app, which switches the inbox;
* ``t`` send a template to the contact (the template picker, when installed).

Contact names, notes, tags and field values are untrusted: cells are
``rich.text.Text`` of cleaned strings and everything else is
:func:`~sendbee_tui.tui.safe_text.literal` Content, never markup.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import (
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)
from textual.widgets.selection_list import Selection

from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import Contact, ContactField, ContactFieldValue, Note, Tag
from sendbee_tui.api.validation import CONTACT_STATUSES, validate_phone
from sendbee_tui.tui.safe_text import clean, clean_model, literal
from sendbee_tui.tui.widgets.form import (
    FieldValidator,
    FormField,
    FormModal,
    PaletteCommand,
    describe_error,
    iso_date,
    number,
    phone_number,
)
from sendbee_tui.tui.widgets.record_list import (
    RecordScreen,
    SearchInput,
    client_of,
    highlighted_record,
)

__all__ = [
    "ContactForm",
    "ContactsScreen",
    "contact_form_preview_app",
    "field_value_text",
    "save_contact_form_screenshot",
]

log = logging.getLogger(__name__)

#: Contacts fetched per request while scrolling.
PAGE_SIZE = 50
#: Fetch the next page when the cursor is this close to the last loaded row.
PREFETCH_MARGIN = 10
#: Column keys of the table, in order.
COLUMNS = ("name", "phone", "status", "tags")
#: Delay between the last key typed in the search box and the request.
SEARCH_DEBOUNCE = 0.3


def field_value_text(value: Any) -> str:
    """A custom field value as the text an Input shows (numbers without a useless .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    return str(value or "").strip().casefold() in {"1", "true", "yes", "y", "on"}


def _as_number(text: str) -> int | float:
    parsed = float(text)
    if parsed.is_integer() and "e" not in text.casefold() and "." not in text:
        return int(parsed)
    return parsed


async def load_all(iterator: Any, limit: int = 1000) -> list[Any]:
    """Collect up to ``limit`` items of an async iterator (tags, field definitions)."""
    items: list[Any] = []
    async for item in iterator:
        items.append(item)
        if len(items) >= limit:
            break
    return items


# --------------------------------------------------------------------------- the form


class ContactForm(FormModal[Contact]):
    """Subscribe a new contact (``contact=None``) or edit one.

    ``tags`` and ``fields`` are the account's tag and custom field definitions,
    loaded by the caller, so the form composes complete (and deterministically)
    without requests of its own.  On success the dialog is dismissed with the
    :class:`~sendbee_tui.api.models.Contact` the server returned.
    """

    def __init__(
        self,
        *,
        contact: Contact | None = None,
        tags: Sequence[Tag] = (),
        fields: Sequence[ContactField] = (),
        client: Any = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.contact = contact
        self.all_tags = [t for t in tags if t.name]
        self.all_fields = [f for f in fields if f.name]
        self._explicit_client = client
        self.form_title = "Subscribe a contact" if contact is None else "Edit contact"
        self.submit_label = "Subscribe" if contact is None else "Save"
        # Field row name -> ContactField, for building contact_fields on submit.
        self._custom: dict[str, ContactField] = {}

    @property
    def client(self) -> Any:
        """The API client used to save."""
        return client_of(self, self._explicit_client)

    @property
    def is_new(self) -> bool:
        """True when subscribing, False when editing."""
        return self.contact is None

    def _current_field_values(self) -> dict[str, Any]:
        if self.contact is None:
            return {}
        return {cf.key: cf.value for cf in self.contact.contact_fields if cf.key}

    def compose_form(self) -> ComposeResult:
        contact = self.contact
        yield FormField(
            "phone",
            "Phone",
            Input(
                value=clean(contact.phone) if contact else "",
                placeholder="+385912345678",
            ),
            validators=[phone_number],
            required=True,
            help="International format: + country code and number.",
            aliases=("phone number", "number"),
        )
        yield FormField(
            "name",
            "Name",
            Input(value=clean(contact.name) if contact else "", placeholder="Full name"),
        )
        # Tags: pick existing ones, or type new ones (comma separated).
        chosen = {t.name.casefold() for t in contact.tags if t.name} if contact else set()
        known = {t.name.casefold() for t in self.all_tags if t.name}
        selections = [
            Selection(literal(t.name), t.name, t.name.casefold() in chosen)
            for t in sorted(self.all_tags, key=lambda t: (t.name or "").casefold())
            if t.name
        ]
        # A contact may carry a tag missing from the loaded list; keep it selected.
        for tag in contact.tags if contact else ():
            if tag.name and tag.name.casefold() not in known:
                selections.append(Selection(literal(tag.name), tag.name, True))
        if selections:
            yield FormField(
                "tags", "Tags", SelectionList[str](*selections), help="Space toggles a tag."
            )
        yield FormField(
            "new_tags",
            "New tags" if selections else "Tags",
            Input(placeholder="comma separated, e.g. vip, newsletter"),
            aliases=("tag", "tags"),
        )
        if contact is not None and contact.notes:
            yield Label("Notes so far (read-only)", classes="form-readonly-label")
            yield Static(
                _notes_content(contact.notes), id="existing-notes", classes="form-readonly"
            )
        yield FormField(
            "note",
            "Add a note" if contact is not None else "Note",
            TextArea(id="input-note"),
            help="Notes are appended; existing notes are kept." if contact is not None else None,
            aliases=("note", "notes"),
        )
        current = self._current_field_values()
        for index, definition in enumerate(self.all_fields):
            row_name = f"cf{index}"
            self._custom[row_name] = definition
            yield self._custom_field_row(row_name, definition, current.get(definition.name or ""))

    def _custom_field_row(self, row_name: str, definition: ContactField, value: Any) -> FormField:
        """An input that fits the field's type (the value shown is the contact's)."""
        kind = (definition.type or "text").casefold()
        label = definition.name or "?"
        aliases = (label,)
        validators: list[FieldValidator] = []
        help_text: str | None = None
        control: Any
        if kind == "boolean":
            control = Switch(value=_as_bool(value))
        elif kind == "list":
            options = [o for o in definition.options if o]
            current = field_value_text(value)
            if current and current not in options:
                options.append(current)  # keep a stored value even if the option was removed
            control = Select[str](
                [(literal(o), o) for o in options],
                prompt="(none)",
                allow_blank=True,
                value=current if current else Select.NULL,
            )
        elif kind == "number":
            control = Input(value=field_value_text(value), placeholder="a number, e.g. 42")
            validators.append(number)
        elif kind == "date":
            control = Input(value=field_value_text(value), placeholder="YYYY-MM-DD")
            validators.append(iso_date)
        else:
            control = Input(value=field_value_text(value))
        if kind not in {"boolean", "list", "number", "date", "text"}:
            help_text = f"Field type {kind!r} is edited as text."
        return FormField(
            row_name,
            label,
            control,
            validators=validators,
            help=help_text,
            aliases=aliases,
            classes=f"custom-field -type-{kind if kind.isalnum() else 'other'}",
        )

    # -- submit ------------------------------------------------------------------

    def _tag_names(self, values: dict[str, Any]) -> list[str]:
        names: list[str] = list(values.get("tags") or ())
        known = {t.name.casefold(): t.name for t in self.all_tags if t.name}
        for piece in str(values.get("new_tags") or "").split(","):
            name = " ".join(piece.split())
            if not name:
                continue
            names.append(known.get(name.casefold(), name))
        seen: set[str] = set()
        unique: list[str] = []
        for name in names:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                unique.append(name)
        return unique

    def _custom_values(self, values: dict[str, Any], only_changed: bool) -> dict[str, Any]:
        before = self._snapshot or {}
        result: dict[str, Any] = {}
        for row_name, definition in self._custom.items():
            value = values.get(row_name)
            if only_changed and row_name in before and before[row_name] == value:
                continue
            kind = (definition.type or "text").casefold()
            name = definition.name or ""
            if kind == "boolean":
                result[name] = bool(value)
                continue
            text = "" if value is None else str(value).strip()
            if not text:
                if only_changed:
                    result[name] = None  # the user cleared it
                continue
            result[name] = _as_number(text) if kind == "number" else text
        return result

    async def submit_form(self, values: dict[str, Any]) -> Contact:
        phone = validate_phone(str(values["phone"]).strip())
        name = " ".join(str(values.get("name") or "").split()) or None
        note = str(values.get("note") or "").strip()
        tags = self._tag_names(values)
        if self.contact is None:
            contact = await self.client.contacts.subscribe(
                phone,
                name=name,
                tags=tags or None,
                notes=[note] if note else None,
                contact_fields=self._custom_values(values, only_changed=False) or None,
            )
        else:
            before_tags = {t.name.casefold() for t in self.contact.tags if t.name}
            # Only what changed is sent; a name cleared on purpose is sent as "".
            new_name = name or ""
            contact = await self.client.contacts.update(
                self.contact.id or "",
                phone=phone if phone != self.contact.phone else None,
                name=new_name if new_name != (self.contact.name or "") else None,
                tags=tags if {t.casefold() for t in tags} != before_tags else None,
                notes=[note] if note else None,
                contact_fields=self._custom_values(values, only_changed=True) or None,
            )
        return clean_model(contact)


def _notes_content(notes: Iterable[Note]) -> Content:
    lines = [literal("• ").append(literal(n.value)) for n in notes if n.value]
    return Content("\n").join(lines) if lines else literal("(none)")


# --------------------------------------------------------------------------- the screen


@dataclass
class _Filters:
    search: str = ""
    tag: str | None = None
    status: str | None = None


class ContactsScreen(RecordScreen):
    """The contacts list with filters, detail pane and the contact actions."""

    STATUS_LINE = "#contacts-status-line"
    # Below 130 columns the detail pane is hidden so the list stays readable at 80x24.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="contacts.close"),
        Binding("slash", "focus_search", "Search", id="contacts.search"),
        Binding("a", "subscribe", "Subscribe", id="contacts.subscribe"),
        Binding("e", "edit", "Edit", id="contacts.edit"),
        Binding("o", "open_conversation", "Conversation", id="contacts.open_conversation"),
        Binding("t", "send_template", "Template", id="contacts.send_template"),
        Binding("r", "refresh", "Refresh", id="contacts.refresh"),
    ]

    @dataclass
    class OpenConversation(Message):
        """Ask the app to open (or start) the conversation with this contact.

        ``conversation_id`` is ``None`` when the contact has no conversation yet;
        starting one then needs a template message.
        """

        conversation_id: str | None
        phone: str
        contact: Contact | None = None

    def __init__(
        self,
        client: Any = None,
        *,
        name: str | None = None,
        id: str | None = None,
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
            table: DataTable[Any] = DataTable(
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

    def palette_commands(self) -> list[PaletteCommand]:
        """Everything on the keyboard, also in the command palette."""
        return [
            PaletteCommand("Contacts: subscribe a new contact", "a", self.action_subscribe),
            PaletteCommand("Contacts: edit the selected contact", "e / Enter", self.action_edit),
            PaletteCommand(
                "Contacts: open the contact's conversation", "o", self.action_open_conversation
            ),
            PaletteCommand(
                "Contacts: send a template to the contact", "t", self.action_send_template
            ),
            PaletteCommand("Contacts: search", "/", self.action_focus_search),
            PaletteCommand("Contacts: refresh", "r", self.action_refresh),
            PaletteCommand("Contacts: close", "Escape", self.action_close),
        ]

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

    def action_subscribe(self) -> None:
        """Subscribe a new contact."""
        self.app.push_screen(
            ContactForm(tags=self.tags, fields=self.fields, client=self._explicit_client),
            self._saved,
        )

    def action_edit(self) -> None:
        """Edit the highlighted contact."""
        contact = self.selected
        if contact is None:
            self.notify("No contact selected.", severity="warning")
            return
        self.app.push_screen(
            ContactForm(
                contact=contact, tags=self.tags, fields=self.fields, client=self._explicit_client
            ),
            self._saved,
        )

    def _saved(self, contact: Contact | None) -> None:
        if contact is None:
            return
        self.replace_contact(contact)
        self._update_inbox_cache(contact)
        self.notify("Saved. Showing what Sendbee stored.", title="Contact", markup=False)
        # A typed new tag now exists on the server: refresh the tag list.
        known = {t.name for t in self.tags}
        if any(t.name not in known for t in contact.tags):
            self.load_metadata()

    def _update_inbox_cache(self, contact: Contact) -> None:
        """Keep the inbox's contact pane in step with the edit (when the app has an inbox)."""
        inbox = getattr(self.app, "inbox", None)
        update = getattr(inbox, "update_contact", None)
        if callable(update):
            update(contact)
            return
        cache = getattr(inbox, "contacts", None)
        if isinstance(cache, dict) and contact.id in cache:
            cache[contact.id] = contact

    def action_open_conversation(self) -> None:
        """Find the contact's conversation and ask the app to open it."""
        contact = self.selected
        if contact is None or not contact.phone:
            self.notify("No contact selected.", severity="warning")
            return
        self._find_conversation(contact)

    @work(group="contacts-open", exclusive=True, exit_on_error=False)
    async def _find_conversation(self, contact: Contact) -> None:
        phone = contact.phone or ""
        self.set_status("Looking for the conversation…")
        try:
            page = await self.client.conversations.list(search_query=phone)
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self._count_status()
        found = find_conversation(page.items, contact)
        if found is None:
            self.notify(
                "No conversation with this contact yet: send a template to start one.",
                title="Conversation",
                markup=False,
            )
            self.action_send_template()
            return
        message = ContactsScreen.OpenConversation(found, phone, contact)
        if hasattr(self.app, "on_contacts_screen_open_conversation"):
            self.dismiss(None)
            self.app.post_message(message)
        else:
            self.post_message(message)
            self.notify(clean(f"Conversation {found}"), title="Conversation", markup=False)

    def action_send_template(self) -> None:
        """Open the template picker for the highlighted contact (when available)."""
        contact = self.selected
        if contact is None or not contact.phone:
            self.notify("No contact selected.", severity="warning")
            return
        try:
            from sendbee_tui.tui.screens.templates import TemplatePickerScreen
        except ImportError:
            self.notify("Template messages are not available yet.", severity="warning")
            return
        self.app.push_screen(
            TemplatePickerScreen(phone=contact.phone, contact=contact, client=self._explicit_client)
        )


def find_conversation(conversations: Iterable[Any], contact: Contact) -> str | None:
    """The id of the contact's conversation in a search result (by contact id, then phone)."""
    items = list(conversations)
    for conversation in items:
        other = getattr(conversation, "contact", None)
        if other is not None and contact.id and other.id == contact.id:
            return conversation.id
    for conversation in items:
        other = getattr(conversation, "contact", None)
        if other is not None and contact.phone and other.phone == contact.phone:
            return conversation.id
    return None


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def contact_detail(contact: Contact) -> Content:
    """The detail pane: every untrusted value as literal Content."""

    def row(label: str, value: str | Content) -> Content:
        text = value if isinstance(value, Content) else literal(value or "—")
        return literal(f"{label}: ", "bold").append(text)

    lines = [
        literal(contact.name or "(no name)", "bold"),
        row("Phone", contact.phone or ""),
        row("Status", contact.status or ""),
        row("Folder", contact.folder or ""),
        row("Messaging consent", _yes_no(contact.has_messaging_consent)),
        row("Created", contact.created_at.strftime("%Y-%m-%d %H:%M") if contact.created_at else ""),
        row("Tags", ", ".join(t.name for t in contact.tags if t.name)),
    ]
    lines.append(literal(""))
    lines.append(literal("Fields", "bold"))
    if contact.contact_fields:
        lines.extend(row(f.key or "?", field_value_text(f.value)) for f in contact.contact_fields)
    else:
        lines.append(literal("(none)"))
    lines.append(literal(""))
    lines.append(literal("Notes", "bold"))
    lines.append(_notes_content(contact.notes))
    return Content("\n").join(lines)


# --------------------------------------------------------------------------- preview


def _preview_data() -> tuple[Contact, list[Tag], list[ContactField]]:
    """A fixed contact with one field of each type: the same picture every run."""
    tags = [Tag(id="t1", name="vip"), Tag(id="t2", name="newsletter"), Tag(id="t3", name="lead")]
    fields = [
        ContactField(id="f1", name="City", type="text"),
        ContactField(id="f2", name="Orders", type="number"),
        ContactField(id="f3", name="Birthday", type="date"),
        ContactField(id="f4", name="Plan", type="list", options=("Free", "Pro", "Business")),
        ContactField(id="f5", name="Opted in", type="boolean"),
    ]
    contact = Contact(
        id="c-preview",
        name="Ana Horvat",
        phone="+385911234567",
        status="subscribed",
        tags=(tags[0],),
        notes=(Note(id="n1", value="Prefers messages in the morning."),),
        contact_fields=(
            ContactFieldValue(key="City", value="Zagreb"),
            ContactFieldValue(key="Orders", value=12),
            ContactFieldValue(key="Birthday", value="1990-04-17"),
            ContactFieldValue(key="Plan", value="Pro"),
            ContactFieldValue(key="Opted in", value=True),
        ),
    )
    return contact, tags, fields


class _ContactFormPreview(App[None]):
    """Shows :class:`ContactForm` on fixed data, for the snapshot test and screenshots."""

    async def on_mount(self) -> None:
        contact, tags, fields = _preview_data()
        form = ContactForm(contact=contact, tags=tags, fields=fields)
        await self.push_screen(form)
        # A blinking cursor would make every screenshot different.
        for widget in form.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]


def contact_form_preview_app() -> App[None]:
    """An app showing the contact form on fixed data (no network; deterministic)."""
    return _ContactFormPreview()


async def save_contact_form_screenshot(
    path: str | Path = "screenshots/contact_form.svg", size: tuple[int, int] = (100, 48)
) -> Path:
    """Render the contact form headless and save it as an SVG (used by the screenshots script)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    app = contact_form_preview_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        svg = app.export_screenshot(title="sendbee-tui — contact form")
    target.write_text(svg, encoding="utf-8")
    return target
