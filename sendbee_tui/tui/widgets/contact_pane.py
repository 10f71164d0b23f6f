"""Contact details of the open conversation: name, phone, status, tags, notes, fields."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sendbee_tui.api import Contact, Conversation


def _heading(text: str) -> Content:
    return Content.styled(text, "bold $text-muted")


def contact_content(conversation: Conversation | None, contact: Contact | None) -> Content:
    """Everything the pane shows, as one Content (customer text literal)."""
    if conversation is None:
        return Content.styled("No conversation open", "$text-muted")
    c = conversation.contact
    parts: list[Content | str | tuple[str, str]] = [
        (c.name or "(no name)", "bold"),
        "\n",
        (c.phone or "", "$text-muted"),
        "\n\n",
        _heading("Folder "),
        conversation.folder or "?",
        "\n",
        _heading("Chatbot "),
        ("on", "$accent bold") if conversation.chatbot_active else ("off", ""),
        "\n",
    ]
    if contact is None:
        parts += ["\n", ("loading details…", "$text-muted")]
        return Content.assemble(*parts)
    parts += [_heading("Status "), contact.status or "?", "\n"]
    if contact.tags:
        parts += ["\n", _heading("Tags"), "\n"]
        for i, tag in enumerate(contact.tags):
            parts += [("" if i == 0 else " "), (f" {tag.name} ", "on $boost")]
        parts.append("\n")
    if contact.contact_fields:
        parts += ["\n", _heading("Fields"), "\n"]
        for f in contact.contact_fields:
            parts += [(f.key or "", "$text-muted"), ": ", str(f.value or ""), "\n"]
    if contact.notes:
        parts += ["\n", _heading("Notes"), "\n"]
        for note in contact.notes:
            parts += ["• ", note.value or "", "\n"]
    return Content.assemble(*parts)


class ContactPane(VerticalScroll):
    """Right-hand pane; hidden on narrow terminals and toggled with ``i``."""

    DEFAULT_CSS = """
    ContactPane {
        width: 30;
        border-left: solid $panel-lighten-2;
        padding: 0 1;
        background: $surface;
    }
    ContactPane > Static { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.conversation: Conversation | None = None
        self.contact: Contact | None = None

    def compose(self) -> ComposeResult:
        yield Static(contact_content(None, None), id="contact-body")

    def show(self, conversation: Conversation | None, contact: Contact | None) -> None:
        """Show ``conversation``'s contact; ``contact`` None means its details are loading."""
        self.conversation = conversation
        self.contact = contact
        self.query_one("#contact-body", Static).update(contact_content(conversation, contact))
