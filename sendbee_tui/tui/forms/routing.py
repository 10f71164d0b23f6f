"""Which field a server refusal is about, so its message lands under that field.

Sendbee answers a bad value with an error whose ``detail`` names the field in
words ("phone number is invalid"), sometimes with an explicit ``field`` hint.
The form shows the message under the field it names, and only falls back to the
form-level line when no field matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sendbee_tui.api.errors import APIError
from sendbee_tui.tui.forms.field import FormField

__all__ = ["error_field_hint", "field_for_error"]


def error_field_hint(exc: APIError) -> str | None:
    """A field name the server attached to the error, if any."""
    field = getattr(exc, "field", None)
    if isinstance(field, str) and field:
        return field
    response = getattr(exc, "response", None)
    if response is None:
        return None
    try:
        body = response.json()
    except Exception:
        return None
    if isinstance(body, dict):
        error = body.get("error")
        for source in (error if isinstance(error, dict) else {}, body):
            for key in ("field", "param", "parameter"):
                hint = source.get(key)
                if isinstance(hint, str) and hint:
                    return hint
    return None


def field_for_error(exc: APIError, rows: Mapping[str, FormField]) -> str | None:
    """The name of the row a server validation error is about, if it names one.

    Uses a field hint the server attached (``field``), else looks for a field's
    name, label or alias as a whole word in the error's ``detail`` or ``type``.
    """
    hint = error_field_hint(exc)
    if hint and hint in rows:
        return hint
    haystack = f"{exc.detail or ''} {(exc.type or '').replace('_', ' ')}".casefold()
    candidates: list[tuple[str, str]] = []
    for name, row in rows.items():
        for word in (name, name.replace("_", " "), row.label_text, *row.aliases):
            if word:
                candidates.append((word.casefold(), name))
    # Longest words first: "phone number" beats "name".
    for word, name in sorted(candidates, key=lambda item: -len(item[0])):
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", haystack):
            return name
    return None
