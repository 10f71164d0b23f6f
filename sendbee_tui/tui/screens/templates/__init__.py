"""Start or continue a WhatsApp conversation with an approved template.

* :mod:`~sendbee_tui.tui.screens.templates.picker` - :class:`TemplatePickerScreen`,
  every template of the account, searchable, with why a template cannot be sent;
* :mod:`~sendbee_tui.tui.screens.templates.form` - :class:`TemplateFormScreen`,
  the placeholders, attachment and agent next to a live preview, sent once;
* :mod:`~sendbee_tui.tui.screens.templates.fill_form` - that form before the send:
  rows, live preview, what is still needed, filling from the contact;
* :mod:`~sendbee_tui.tui.screens.templates.fields` - the form's rows;
* :mod:`~sendbee_tui.tui.screens.templates.preview` - templates as styled text;
* :mod:`~sendbee_tui.tui.screens.templates.contact_values` - Ctrl+F's value chooser.

The rules themselves (placeholders, URL checks, order, recipient) are plain
functions in :mod:`sendbee_tui.tui.template_text`.
"""

from __future__ import annotations

from sendbee_tui.tui.screens.templates.contact_values import ContactValuePicker
from sendbee_tui.tui.screens.templates.form import TemplateFormScreen
from sendbee_tui.tui.screens.templates.picker import TemplatePickerScreen
from sendbee_tui.tui.screens.templates.preview import WINDOW_NOTICE, template_preview

__all__ = [
    "WINDOW_NOTICE",
    "ContactValuePicker",
    "TemplateFormScreen",
    "TemplatePickerScreen",
    "template_preview",
]
