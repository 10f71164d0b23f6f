"""The recipient: who a send goes to, and what of them can fill a placeholder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from sendbee_tui.tui.template_text.placeholders import is_named

if TYPE_CHECKING:
    from sendbee_tui.api.models import Contact, Conversation


def contact_values(contact: object | None) -> dict[str, str]:
    """Labelled values from a contact that can fill a placeholder.

    Works on a full ``Contact`` (name, phone, custom fields) and on the small
    ``ConversationContact`` (name, phone); empty values are left out.
    """
    values: dict[str, str] = {}
    if contact is None:
        return values
    for label, attr in (("Name", "name"), ("Phone", "phone")):
        value = getattr(contact, attr, None)
        if isinstance(value, str) and value.strip():
            values[label] = value.strip()
    name = values.get("Name", "")
    if name:
        first = name.split()[0]
        if first != name:
            values["First name"] = first
    for field in getattr(contact, "contact_fields", ()) or ():
        key = getattr(field, "key", None)
        value = getattr(field, "value", None)
        if key and value not in (None, ""):
            values.setdefault(str(key), str(value))
    return values


def _words(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def matching_value_label(placeholder: str, values: Mapping[str, str]) -> str | None:
    """The contact value a named placeholder asks for by name, if there is one.

    ``{name}`` -> ``"Name"``, ``{first_name}`` -> ``"First name"``, ``{card_number}``
    -> a custom field called ``card_number`` or "Card number".  Numbered
    placeholders say nothing about their meaning, so they match nothing.
    """
    if not is_named(placeholder):
        return None
    wanted = _words(placeholder)
    return next((label for label in values if _words(label) == wanted), None)


def recipient_phone(
    phone: str | None, contact: Contact | None, conversation: Conversation | None
) -> str | None:
    """The phone a send goes to: given, else the conversation's contact, else the contact.

    ``None`` means "a new number": the form then asks for it.
    """
    if phone:
        return phone
    sources = (conversation.contact if conversation else None, contact)
    for source in sources:
        value = source.phone if source is not None else None
        if value and value.strip():
            return value.strip()
    return None


def recipient_name(contact: Contact | None, conversation: Conversation | None) -> str | None:
    """The name to show next to the recipient's phone, when one is known."""
    sources = (conversation.contact if conversation else None, contact)
    for source in sources:
        value = source.name if source is not None else None
        if value and value.strip():
            return value.strip()
    return None
