"""Fill a template placeholder with something already known about the contact.

Ctrl+F in the template form: the contact's name, first name, phone and custom
field values, one per line; Enter puts the chosen one into the placeholder.
Values are other people's text and are shown with
:func:`~sendbee_tui.tui.safe_text.literal`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from sendbee_tui.tui import keys
from sendbee_tui.tui.safe_text import literal

__all__ = ["ContactValuePicker"]


class ContactValuePicker(ModalScreen["str | None"]):
    """Choose one of the contact's values (name, phone, custom fields) to fill a placeholder.

    Args:
        values: Label -> value (see :func:`sendbee_tui.tui.template_text.contact_values`).
        target: The placeholder's label, for the heading ("Fill Body {{1}} with…").
        suggested: The label of the value to highlight first (a named placeholder
            such as ``{first_name}`` asks for "First name"); the first one otherwise.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("template_value")

    DEFAULT_CSS = """
    ContactValuePicker { align: center middle; }
    ContactValuePicker #contact-values-dialog {
        width: 60; height: auto; max-height: 80%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    ContactValuePicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(
        self, values: dict[str, str], target: str, *, suggested: str | None = None
    ) -> None:
        super().__init__()
        self._values = list(values.items())
        self._target = target
        labels = [label for label, _ in self._values]
        self._initial = labels.index(suggested) if suggested in labels else 0

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-values-dialog"):
            yield Label(literal(f"Fill {self._target} with…"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(Content.assemble(literal(label, "bold"), ": ", literal(value)))
                    for label, value in self._values
                ),
                id="contact-values",
            )
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self._values:
            options.highlighted = self._initial

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._values[event.option_index][1])

    def action_cancel(self) -> None:
        """Close without filling anything."""
        self.dismiss(None)
