"""The shared forms toolkit: field rows, validators, the form dialog and its questions.

Every form in the app (subscribe/edit a contact, tag, custom field, template
placeholders, account setup) is built from these pieces so they all behave the
same way; see :mod:`sendbee_tui.tui.forms.modal` for the rules.

* :mod:`~sendbee_tui.tui.forms.validators` - client-side checks (pure functions);
* :mod:`~sendbee_tui.tui.forms.field` - :class:`FormField`, one labelled row;
* :mod:`~sendbee_tui.tui.forms.routing` - which field a server refusal is about;
* :mod:`~sendbee_tui.tui.forms.modal` - :class:`FormModal`, the dialog: submit, cancel;
* :mod:`~sendbee_tui.tui.forms.form_dialog` - its layout, values and error display;
* :mod:`~sendbee_tui.tui.forms.confirm` - :class:`ConfirmModal`, yes/no questions;
* :mod:`~sendbee_tui.tui.forms.palette` - screen actions in the command palette;
* :mod:`~sendbee_tui.tui.forms.style` - the shared stylesheet's path.
"""

from __future__ import annotations

from sendbee_tui.tui.forms.confirm import ConfirmModal
from sendbee_tui.tui.forms.field import FormField, control_value
from sendbee_tui.tui.forms.modal import FormModal
from sendbee_tui.tui.forms.palette import PaletteCommand, ScreenCommands
from sendbee_tui.tui.forms.style import FORMS_CSS
from sendbee_tui.tui.forms.validators import (
    FieldValidator,
    http_url,
    iso_date,
    non_empty_options,
    number,
    parse_options,
    phone_number,
    required,
    unique_name,
)

__all__ = [
    "FORMS_CSS",
    "ConfirmModal",
    "FieldValidator",
    "FormField",
    "FormModal",
    "PaletteCommand",
    "ScreenCommands",
    "control_value",
    "http_url",
    "iso_date",
    "non_empty_options",
    "number",
    "parse_options",
    "phone_number",
    "required",
    "unique_name",
]
