"""One row of a form: label, control, help line and the error line under it.

Every error a form shows about a value sits right under that value's control
(:meth:`FormField.set_error`), so an agent never has to match a message at the
top of a dialog to the field it is about.  Labels, help and errors are rendered
with :func:`~sendbee_tui.tui.safe_text.literal`: they may quote server text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static, Switch, TextArea
from textual.widgets._toggle_button import ToggleButton

from sendbee_tui.tui.forms.validators import FieldValidator, required
from sendbee_tui.tui.safe_text import literal

__all__ = ["FormField", "control_value"]


def control_value(widget: Widget) -> Any:
    """The value a form reads from an input widget (``None`` for an empty Select).

    ``Any`` because each kind of control holds its own kind of value.
    """
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, (Switch, ToggleButton)):
        return bool(widget.value)
    if isinstance(widget, Select):
        return None if widget.value is Select.NULL else widget.value
    if isinstance(widget, SelectionList):
        return tuple(widget.selected)
    getter = getattr(widget, "form_value", None)
    if callable(getter):
        return getter()
    return getattr(widget, "value", None)


_required_check = required()


class FormField(Vertical):
    """One row of a form: label, the input widget, an optional help line, an error line.

    Args:
        name: Key of the value in :meth:`FormModal.values` and in error routing.
        label: Shown left of the control (literal text, a ``*`` is added when required).
        control: The input widget (Input, TextArea, Switch, Select, SelectionList, or
            any widget with ``value`` / ``form_value()``).
        validators: Client-side checks, run in order; the first message wins.
        required: Shorthand for putting :func:`required` first.
        help: A short literal hint under the control.
        aliases: Extra words that identify this field in server error messages.
        compact: Render the control without borders (one line), the app's form style.
    """

    DEFAULT_CSS = """
    FormField { height: auto; }
    """

    def __init__(
        self,
        name: str,
        label: str,
        control: Widget,
        *,
        validators: Sequence[FieldValidator] = (),
        required: bool = False,
        help: str | None = None,
        aliases: Sequence[str] = (),
        compact: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{name}", classes=classes)
        self.field_name = name
        self.label_text = label
        self.control = control
        if control.id is None:
            control.id = f"input-{name}"
        if compact and hasattr(control, "compact"):
            # One line per field: the label sits left of the control, so a
            # ten-field form fits a 40-row terminal.
            control.compact = True
        self.validators: list[FieldValidator] = list(validators)
        self.is_required = required
        if required:
            self.validators.insert(0, _required_check)
        self.help_text = help
        self.aliases = tuple(aliases)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        label = self.label_text + (" *" if self.is_required else "")
        with Horizontal(classes="form-row"):
            yield Label(literal(label), classes="form-label")
            yield self.control
        if self.help_text:
            yield Static(literal(self.help_text), classes="form-help")
        error = Static("", classes="form-error")
        error.display = False
        yield error

    @property
    def value(self) -> Any:
        """The control's current value (see :func:`control_value`)."""
        return control_value(self.control)

    def first_problem(self) -> str | None:
        """The first validator's message for the current value, without showing it."""
        value = self.value
        for check in self.validators:
            message = check(value)
            if message:
                return message
        return None

    def validate(self) -> str | None:
        """Run the validators; show and return the first error (or clear and return None)."""
        message = self.first_problem()
        if message:
            self.set_error(message)
        else:
            self.clear_error()
        return message

    def set_error(self, message: str) -> None:
        """Show ``message`` (literally) under the control."""
        self.error = message
        self.add_class("-invalid")
        line = self.query_one(".form-error", Static)
        line.update(literal(message))
        line.display = True

    def clear_error(self) -> None:
        """Remove this field's error line."""
        if self.error is None:
            return
        self.error = None
        self.remove_class("-invalid")
        line = self.query_one(".form-error", Static)
        line.update("")
        line.display = False
