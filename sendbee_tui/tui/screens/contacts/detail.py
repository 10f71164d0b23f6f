"""How a contact reads on screen: the detail pane, field values, notes.

Contact names, notes, tags and field values are untrusted: everything here is
built from :func:`~sendbee_tui.tui.safe_text.literal` Content, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from sendbee_tui.api.models import Contact, Conversation, Note
from sendbee_tui.tui.safe_text import literal

__all__ = ["contact_detail", "field_value_text", "find_conversation", "notes_content"]


def field_value_text(value: object) -> str:
    """A custom field value as the text an Input shows (numbers without a useless .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def notes_content(notes: Iterable[Note]) -> Content:
    """One bullet per note, literally; ``(none)`` when there are none."""
    lines = [literal("• ").append(literal(n.value)) for n in notes if n.value]
    return Content("\n").join(lines) if lines else literal("(none)")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def contact_detail(contact: Contact) -> Content:
    """The detail pane: every untrusted value as literal Content."""

    def row(label: str, value: str | Content) -> Content:
        text = value if isinstance(value, Content) else literal(value or "—")
        return literal(f"{label}: ", "bold").append(text)

    lines = [
        literal(contact.name or "(no name)", "bold"),
        row("Phone", contact.phone or ""),
        row("Status", contact.status or ""),
        row("Folder", contact.folder or ""),
        row("Messaging consent", _yes_no(contact.has_messaging_consent)),
        row("Created", contact.created_at.strftime("%Y-%m-%d %H:%M") if contact.created_at else ""),
        row("Tags", ", ".join(t.name for t in contact.tags if t.name)),
    ]
    lines.append(literal(""))
    lines.append(literal("Fields", "bold"))
    if contact.contact_fields:
        lines.extend(row(f.key or "?", field_value_text(f.value)) for f in contact.contact_fields)
    else:
        lines.append(literal("(none)"))
    lines.append(literal(""))
    lines.append(literal("Notes", "bold"))
    lines.append(notes_content(contact.notes))
    return Content("\n").join(lines)


def find_conversation(conversations: Iterable[Conversation], contact: Contact) -> str | None:
    """The id of the contact's conversation in a search result (by contact id, then phone)."""
    items = list(conversations)
    for conversation in items:
        other = conversation.contact
        if contact.id and other.id == contact.id:
            return conversation.id
    for conversation in items:
        other = conversation.contact
        if contact.phone and other.phone == contact.phone:
            return conversation.id
    return None
