"""Custom contact fields: list, create, edit and delete (``g f`` in the inbox).

A field has a name, a type (``text``, ``number``, ``list``, ``date``, ``boolean``)
and, for ``list`` fields, the options a contact's value is picked from.  The form
shows the options editor (one option per line) only for list fields and refuses a
list field without options before anything is sent.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static, TextArea

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import ContactField
from sendbee_tui.api.validation import FIELD_TYPES
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import (
    ConfirmModal,
    FormField,
    FormModal,
    PaletteCommand,
    non_empty_options,
    parse_options,
    unique_name,
)
from sendbee_tui.tui.forms.palette import screen_commands
from sendbee_tui.tui.safe_text import clean, clean_model, literal
from sendbee_tui.tui.widgets.record_list import (
    RecordScreen,
    fetch_sorted_by_name,
    highlighted_record,
)

__all__ = ["FieldForm", "FieldsScreen"]

log = logging.getLogger(__name__)

#: What each type means, shown next to the type select.
TYPE_HELP = {
    "text": "Any text.",
    "number": "A number, e.g. 42 or 3.5.",
    "list": "One of a fixed set of options.",
    "date": "A date, YYYY-MM-DD.",
    "boolean": "Yes or no (a switch).",
}


class FieldForm(FormModal[ContactField]):
    """Create a custom field (``field=None``) or edit one; dismisses with the stored field."""

    def __init__(
        self,
        client: SendbeeClient,
        *,
        field: ContactField | None = None,
        existing: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.field = field
        self.existing = list(existing or [])
        self.form_title = "New custom field" if field is None else "Edit custom field"
        self.submit_label = "Create" if field is None else "Save"

    def _initial_type(self) -> str:
        kind = (self.field.type if self.field else None) or "text"
        return kind if kind in FIELD_TYPES else "text"

    def compose_form(self) -> ComposeResult:
        field = self.field
        yield FormField(
            "name",
            "Name",
            Input(value=clean(field.name) if field else "", placeholder="e.g. City"),
            required=True,
            validators=[
                unique_name(self.existing, current=field.name if field else None, what="field")
            ],
            aliases=("field name",),
        )
        kind = self._initial_type()
        yield FormField(
            "type",
            "Type",
            Select[str]([(t, t) for t in FIELD_TYPES], allow_blank=False, value=kind),
            required=True,
            help=TYPE_HELP.get(kind),
        )
        options = "\n".join(clean(o) for o in field.options) if field else ""
        row = FormField(
            "options",
            "Options",
            TextArea(options),
            help="One option per line.",
            aliases=("option",),
        )
        row.display = kind == "list"
        yield row

    @on(Select.Changed, "#input-type")
    def _type_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        self.fields["options"].display = kind == "list"
        help_line = self.fields["type"].query(".form-help").first(Static)
        help_line.update(literal(TYPE_HELP.get(kind, "")))

    def check_form(self, values: dict[str, Any]) -> dict[str, str]:
        if values.get("type") == "list":
            message = non_empty_options(values.get("options"))
            if message:
                return {"options": message}
        return {}

    async def submit_form(self, values: dict[str, Any]) -> ContactField:
        client = self.client
        name = " ".join(str(values["name"]).split())
        kind = str(values["type"])
        options = parse_options(values.get("options")) if kind == "list" else None
        if self.field is None:
            field = await client.fields.create(name, kind, options=options)
        else:
            field = await client.fields.update(
                self.field.id or "", name=name, type=kind, options=options
            )
        return clean_model(field)


class FieldsScreen(RecordScreen):
    """All custom contact fields, with create / edit / delete."""

    STATUS_LINE = "#fields-status"

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("fields", "records")

    def __init__(self, client: SendbeeClient, *, id: str | None = None) -> None:
        super().__init__(client, id=id)
        self.field_list: list[ContactField] = []
        self.title = "Custom fields"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="manage-toolbar"):
            yield Static(literal("Custom contact fields", "bold"))
        table: DataTable[Text] = DataTable(
            id="fields-table", classes="manage-list", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="fields-status", classes="manage-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#fields-table", DataTable)
        table.add_column("Name", key="name", width=24)
        table.add_column("Type", key="type", width=10)
        table.add_column("Options", key="options")
        table.focus()
        self.load()

    def palette_commands(self) -> list[PaletteCommand]:
        """Every key of the screen, for the command palette."""
        return screen_commands(self, "fields", "Fields")

    @work(group="fields-load", exclusive=True, exit_on_error=False)
    async def load(self, select: str | None = None) -> None:
        """Fetch every field definition and show them by name."""
        self.set_status("Loading fields…")
        try:
            self.field_list = await fetch_sorted_by_name(self.client.fields.iterate())
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        table = self.query_one("#fields-table", DataTable)
        table.clear()
        for field in self.field_list:
            table.add_row(
                Text(clean(field.name)),
                Text(clean(field.type)),
                Text(", ".join(clean(o) for o in field.options)),
                key=field.id,
            )
            if select is not None and field.id == select:
                table.move_cursor(row=table.row_count - 1)
        self.set_status(f"{len(self.field_list)} fields")

    @property
    def selected(self) -> ContactField | None:
        """The highlighted field."""
        return highlighted_record(self.query_one("#fields-table", DataTable), self.field_list)

    @on(DataTable.RowSelected, "#fields-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # -- actions -----------------------------------------------------------------

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.dismiss(None)

    def action_refresh(self) -> None:
        """Reload the field definitions."""
        self.load()

    def _names(self) -> list[str]:
        return [f.name for f in self.field_list if f.name]

    def action_create(self) -> None:
        """Create a custom field."""
        self.app.push_screen(FieldForm(self.client, existing=self._names()), self._saved)

    def action_edit(self) -> None:
        """Edit the highlighted field."""
        field = self.selected
        if field is None:
            self.notify("No field selected.", severity="warning")
            return
        self.app.push_screen(
            FieldForm(self.client, field=field, existing=self._names()),
            self._saved,
        )

    def _saved(self, field: ContactField | None) -> None:
        if field is None:
            return
        self.notify(
            clean(f"Saved field “{field.name}” ({field.type})."), title="Fields", markup=False
        )
        self.load(select=field.id)

    def action_delete(self) -> None:
        """Delete the highlighted field, after a confirmation."""
        field = self.selected
        if field is None:
            self.notify("No field selected.", severity="warning")
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self._delete(field)

        self.app.push_screen(
            ConfirmModal(
                f"Delete the custom field “{clean(field.name)}” ({clean(field.type)})?\n"
                "Its value is removed from every contact.",
                title="Delete field",
                confirm_label="Delete",
                danger=True,
            ),
            decided,
        )

    @work(group="fields-delete", exclusive=True, exit_on_error=False)
    async def _delete(self, field: ContactField) -> None:
        try:
            await self.client.fields.delete(field.id or "")
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self.notify(clean(f"Deleted field “{field.name}”."), title="Fields", markup=False)
        self.load()
