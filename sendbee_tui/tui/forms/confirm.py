"""A yes/no confirmation dialog that is safe to fill with untrusted text.

Deleting a tag, discarding a half-typed form, removing a field: every destructive
action in the app asks through this one dialog, so the keys are always the same
(``y``/Enter confirm, ``n``/Escape cancel).  The message usually names something a
customer or a colleague typed (a tag, a contact name), so a ``str`` message is
rendered with :func:`~sendbee_tui.tui.safe_text.literal` and never parsed as markup.

It lives with the forms toolkit (not in ``screens/``) because every form asks
through it ("discard changes?", "send again?"), and the toolkit is used by
widgets, which must not depend on screens.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from sendbee_tui.tui import keys
from sendbee_tui.tui.forms.style import FORMS_CSS
from sendbee_tui.tui.safe_text import literal

__all__ = ["ConfirmModal"]


class ConfirmModal(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with ``True`` (confirmed) or ``False``.

    Args:
        message: The question. A ``str`` is shown literally (markup is *not* parsed);
            pass a :class:`~textual.content.Content` to style parts of it yourself.
        title: Short heading of the dialog.
        confirm_label: Text of the confirming button.
        cancel_label: Text of the cancelling button.
        danger: Style the confirming button as destructive (red).
        focus_confirm: Start with the focus on the confirming button (Enter confirms).
            ``False`` starts on the cancelling one, for questions where a reflexive
            Enter must not say yes (sending a message that may already have arrived).
    """

    CSS_PATH = FORMS_CSS

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("confirm")

    def __init__(
        self,
        message: str | Content,
        *,
        title: str = "Please confirm",
        confirm_label: str = "Yes",
        cancel_label: str = "No",
        danger: bool = False,
        focus_confirm: bool = True,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self._message = message if isinstance(message, Content) else literal(message)
        self._title = title
        self._confirm_label = confirm_label
        self._cancel_label = cancel_label
        self._danger = danger
        self._focus_confirm = focus_confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label(literal(self._title), id="confirm-title", classes="dialog-title")
            yield Static(self._message, id="confirm-message")
            with Horizontal(id="confirm-buttons", classes="dialog-buttons"):
                yield Button(
                    literal(self._confirm_label),
                    id="confirm-yes",
                    variant="error" if self._danger else "primary",
                )
                yield Button(literal(self._cancel_label), id="confirm-no")
        yield Footer()

    def on_mount(self) -> None:
        start = "#confirm-yes" if self._focus_confirm else "#confirm-no"
        self.query_one(start, Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_deny(self) -> None:
        self.dismiss(False)
