"""Contact tags: list, create, rename and delete (``g t`` in the inbox).

Deleting a tag silently strips it from every contact that carries it, so the
confirmation says how many do: one ``contacts.list(tags=[name], limit=1)`` request
and its ``meta.total``.  Tag names come from other people and are shown only as
``rich.text.Text`` / :func:`~sendbee_tui.tui.safe_text.literal` Content.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import Tag
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import (
    ConfirmModal,
    FormField,
    FormModal,
    PaletteCommand,
    unique_name,
)
from sendbee_tui.tui.forms.palette import screen_commands
from sendbee_tui.tui.safe_text import clean, clean_model
from sendbee_tui.tui.widgets.record_list import (
    RecordScreen,
    SearchInput,
    fetch_sorted_by_name,
    highlighted_record,
)

__all__ = ["TagForm", "TagsScreen", "count_contacts_with_tag"]

log = logging.getLogger(__name__)


async def count_contacts_with_tag(client: SendbeeClient, name: str) -> int | None:
    """How many contacts carry tag ``name`` (``None`` when the server gave no total)."""
    page = await client.contacts.list(tags=[name], limit=1)
    total = page.meta.total if page.meta is not None else None
    return total if isinstance(total, int) else None


class TagForm(FormModal[Tag]):
    """Create a tag (``tag=None``) or rename one; dismisses with the stored :class:`Tag`."""

    def __init__(
        self,
        client: SendbeeClient,
        *,
        tag: Tag | None = None,
        existing: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.tag = tag
        self.existing = list(existing or [])
        self.form_title = "New tag" if tag is None else "Rename tag"
        self.submit_label = "Create" if tag is None else "Rename"

    def compose_form(self) -> ComposeResult:
        yield FormField(
            "name",
            "Name",
            Input(value=clean(self.tag.name) if self.tag else "", placeholder="e.g. vip"),
            required=True,
            validators=[
                unique_name(self.existing, current=self.tag.name if self.tag else None, what="tag")
            ],
            aliases=("tag", "tag name"),
        )

    async def submit_form(self, values: dict[str, Any]) -> Tag:
        name = " ".join(str(values["name"]).split())
        if self.tag is None:
            tag = await self.client.tags.create(name)
        else:
            tag = await self.client.tags.update(self.tag.id or "", name)
        return clean_model(tag)


class TagsScreen(RecordScreen):
    """All tags of the account, with create / rename / delete."""

    STATUS_LINE = "#tags-status"

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("tags", "records")

    def __init__(self, client: SendbeeClient, *, id: str | None = None) -> None:
        super().__init__(client, id=id)
        self.tags: list[Tag] = []
        self.shown: list[Tag] = []
        self.title = "Tags"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="manage-toolbar"):
            yield SearchInput(
                placeholder="Filter tags  (/)", id="tags-filter", compact=True, target="#tags-table"
            )
        table: DataTable[Text] = DataTable(
            id="tags-table", classes="manage-list", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static("", id="tags-status", classes="manage-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tags-table", DataTable)
        table.add_column("Tag", key="name")
        table.focus()
        self.load()

    def palette_commands(self) -> list[PaletteCommand]:
        """Every key of the screen, for the command palette."""
        return screen_commands(self, "tags", "Tags")

    @work(group="tags-load", exclusive=True, exit_on_error=False)
    async def load(self, select: str | None = None) -> None:
        """Fetch every tag (they are few) and show them sorted by name."""
        self.set_status("Loading tags…")
        try:
            self.tags = await fetch_sorted_by_name(self.client.tags.iterate())
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self._render_rows(select)

    def _render_rows(self, select: str | None = None) -> None:
        needle = self.query_one("#tags-filter", Input).value.strip().casefold()
        self.shown = [t for t in self.tags if needle in (t.name or "").casefold()]
        table = self.query_one("#tags-table", DataTable)
        table.clear()
        for tag in self.shown:
            table.add_row(Text(clean(tag.name)), key=tag.id)
        if select is not None:
            for index, tag in enumerate(self.shown):
                if tag.id == select:
                    table.move_cursor(row=index)
        self.set_status(f"{len(self.shown)} of {len(self.tags)} tags")

    @property
    def selected(self) -> Tag | None:
        """The highlighted tag."""
        return highlighted_record(self.query_one("#tags-table", DataTable), self.shown)

    @on(Input.Changed, "#tags-filter")
    def _filter_changed(self) -> None:
        self._render_rows()

    @on(Input.Submitted, "#tags-filter")
    def _filter_submitted(self) -> None:
        """Enter renames the tag chosen with the arrows; otherwise it moves to the list."""
        if self.query_one("#tags-filter", SearchInput).navigated and self.selected is not None:
            self.action_rename()
            return
        self.query_one("#tags-table", DataTable).focus()

    @on(DataTable.RowSelected, "#tags-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_rename()

    # -- actions -----------------------------------------------------------------

    def action_close(self) -> None:
        """Back to where the screen was opened from."""
        self.dismiss(None)

    def action_focus_filter(self) -> None:
        """Jump to the filter box."""
        self.query_one("#tags-filter", Input).focus()

    def action_refresh(self) -> None:
        """Reload the tags."""
        self.load()

    def _names(self) -> list[str]:
        return [t.name for t in self.tags if t.name]

    def action_create(self) -> None:
        """Create a tag."""
        self.app.push_screen(TagForm(self.client, existing=self._names()), self._saved)

    def action_rename(self) -> None:
        """Rename the highlighted tag."""
        tag = self.selected
        if tag is None:
            self.notify("No tag selected.", severity="warning")
            return
        self.app.push_screen(TagForm(self.client, tag=tag, existing=self._names()), self._saved)

    def _saved(self, tag: Tag | None) -> None:
        if tag is None:
            return
        self.notify(clean(f"Saved tag “{tag.name}”."), title="Tags", markup=False)
        self.load(select=tag.id)

    def action_delete(self) -> None:
        """Delete the highlighted tag after a confirmation that counts its contacts."""
        tag = self.selected
        if tag is None:
            self.notify("No tag selected.", severity="warning")
            return
        self._confirm_delete(tag)

    @work(group="tags-delete", exclusive=True, exit_on_error=False)
    async def _confirm_delete(self, tag: Tag) -> None:
        self.set_status("Counting contacts with this tag…")
        try:
            count = await count_contacts_with_tag(self.client, tag.name or "")
        except SendbeeError as exc:
            log.info("counting contacts for a tag failed: %r", exc)
            count = None
        self.set_status(f"{len(self.shown)} of {len(self.tags)} tags")
        if count is None:
            carried = "The number of contacts carrying it is unknown."
        elif count == 1:
            carried = "1 contact carries it and will lose it."
        else:
            carried = f"{count} contacts carry it and will lose it."
        message = f"Delete the tag “{clean(tag.name)}”?\n{carried}"

        def decided(yes: bool | None) -> None:
            if yes:
                self._delete(tag)

        self.app.push_screen(
            ConfirmModal(message, title="Delete tag", confirm_label="Delete", danger=True),
            decided,
        )

    @work(group="tags-delete", exclusive=True, exit_on_error=False)
    async def _delete(self, tag: Tag) -> None:
        try:
            await self.client.tags.delete(tag.id or "")
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self.notify(clean(f"Deleted tag “{tag.name}”."), title="Tags", markup=False)
        self.load()
