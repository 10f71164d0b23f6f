"""The dialog a form lives in: its layout, its fields' values and where errors show.

The half of :class:`~sendbee_tui.tui.forms.modal.FormModal` that needs no
server: composing the rows in Tab order under a title with the buttons last,
letting only the body scroll on a short terminal, knowing whether anything was
changed, running the client-side validators and putting each error under its
field (or on the one form-level line).  Submitting and cancelling are
:mod:`sendbee_tui.tui.forms.modal`'s; forms subclass ``FormModal``, not this.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.css.scalar import Scalar
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    Switch,
    TextArea,
)

from sendbee_tui.api.errors import APIError
from sendbee_tui.tui.forms.field import FormField
from sendbee_tui.tui.forms.routing import field_for_error
from sendbee_tui.tui.forms.style import FORMS_CSS
from sendbee_tui.tui.safe_text import literal

__all__ = ["FormDialog"]

ResultT = TypeVar("ResultT")


class _FormBody(VerticalScroll, can_focus=False):
    """The scrolling body of a form; not focusable itself so Tab goes field to field."""


class FormDialog(ModalScreen[ResultT]):
    """A form's layout, values and errors; :class:`FormModal` adds submit and cancel."""

    CSS_PATH = FORMS_CSS

    #: Heading of the dialog (literal text).
    form_title: str = "Form"
    #: Label of the submit button.
    submit_label: str = "Save"

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._snapshot: dict[str, Any] | None = None

    # -- composition -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(literal(self.form_title), id="form-title", classes="dialog-title")
            with _FormBody(id="form-body"):
                yield from self.compose_form()
            yield from self.compose_status_and_buttons()
        yield Footer()

    def compose_status_and_buttons(self) -> ComposeResult:
        """The status line (hidden until there is something to say) and Save/Cancel.

        A form that lays out its own body (the template form's preview pane) ends
        its dialog with these, under the ids the toolkit's logic relies on.
        """
        status = Static("", id="form-status")
        status.display = False
        yield status
        with Horizontal(id="form-buttons", classes="dialog-buttons"):
            yield Button(literal(self.submit_label), id="form-submit", variant="primary")
            yield Button("Cancel", id="form-cancel")

    def compose_form(self) -> ComposeResult:
        """Yield the form's :class:`FormField` rows (and any read-only widgets)."""
        return
        yield

    def on_mount(self) -> None:
        # Values are compared with this snapshot to know whether Escape must ask.
        # Taken after the first refresh so widgets that settle their value on mount
        # (Select) are included.
        self.call_after_refresh(self.mark_clean)
        self.call_after_refresh(self._fit_body)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """Let only the form body shrink (and scroll) when the terminal is short.

        CSS cannot say "auto height, but at most what is left after the title,
        status line and buttons" for a centred auto-height dialog, so the limit is
        computed: everything in the dialog except the body is the overhead.
        """
        if not self.is_attached:
            return
        try:
            dialog = self.query_one("#form-dialog")
            body = self.query_one("#form-body")
        except NoMatches:
            return
        overhead = dialog.outer_size.height - body.outer_size.height
        docked = sum(footer.outer_size.height for footer in self.query(Footer))
        available = max(3, self.size.height - docked - overhead)
        if body.styles.max_height != Scalar.from_number(available):
            body.styles.max_height = available

    # -- values and errors -------------------------------------------------------

    @property
    def fields(self) -> dict[str, FormField]:
        """The form's field rows by name, in form order."""
        return {row.field_name: row for row in self.query(FormField)}

    def values(self) -> dict[str, Any]:
        """Current value of every field, by name."""
        return {name: row.value for name, row in self.fields.items()}

    def mark_clean(self) -> None:
        """Remember the current values as "unchanged" (call after loading data in)."""
        self._snapshot = self.values()

    @property
    def is_dirty(self) -> bool:
        """Whether any value differs from the last :meth:`mark_clean`."""
        if self._snapshot is None:
            return False
        return self.values() != self._snapshot

    def show_field_error(self, name: str, message: str) -> None:
        """Show ``message`` under field ``name`` (or on the form line if there is no such field)."""
        row = self.fields.get(name)
        if row is None:
            self.show_form_error(message)
        else:
            row.set_error(message)

    def show_form_error(self, message: str) -> None:
        """Show a form-level error line (above the buttons)."""
        self._show_status(message, error=True)

    def show_form_info(self, message: str) -> None:
        """Show a neutral message on the form-level line ("Saving…")."""
        self._show_status(message, error=False)

    def _show_status(self, message: str, *, error: bool) -> None:
        status = self.query_one("#form-status", Static)
        status.set_class(error, "-error")
        status.update(literal(message))
        status.display = error or bool(message)
        self.call_after_refresh(self._fit_body)

    def clear_errors(self) -> None:
        """Remove every field error and the form-level line."""
        for row in self.fields.values():
            row.clear_error()
        self.show_form_info("")

    def check_form(self, values: dict[str, Any]) -> dict[str, str]:
        """Cross-field rules; return ``{field name: message}`` for each problem."""
        return {}

    def validate_form(self) -> bool:
        """Run every field's validators and :meth:`check_form`; focus the first bad field."""
        self.clear_errors()
        first_bad: FormField | None = None
        for row in self.fields.values():
            if row.validate() and first_bad is None:
                first_bad = row
        rows = self.fields
        form_level: list[str] = []
        for name, message in self.check_form(self.values()).items():
            if name in rows:
                rows[name].set_error(message)
                if first_bad is None:
                    first_bad = rows[name]
            else:
                form_level.append(message)
        if first_bad is None and not form_level:
            return True
        if form_level:
            # Errors that belong to no field block the submit too, shown on the form line.
            self.show_form_error(" ".join(form_level))
        else:
            self.show_form_error("Please fix the marked fields.")
        if first_bad is not None:
            first_bad.control.focus()
        return False

    def field_for_error(self, exc: APIError) -> str | None:
        """The field a server validation error is about, if it names one."""
        return field_for_error(exc, self.fields)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _value_changed(self, event: Message) -> None:
        # Editing a field takes its (now stale) error away; the value is never touched.
        control = event.control
        if control is None:
            return
        for node in control.ancestors_with_self:
            if isinstance(node, FormField):
                node.clear_error()
                break
