"""Contact details of the open conversation: name, phone, status, tags, notes, fields.

The pane is also where the contact is edited from: its bottom line names the
keys (``e`` edit, ``+`` / ``-`` tags, ``N`` note; the inbox's bindings, so they
work wherever the focus is in the inbox) and Enter on the focused pane opens
the edit form.  The keys shown are the ones in force (a user's keymap included).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from sendbee_tui.api import Contact, Conversation
from sendbee_tui.tui import keys

#: (binding ids, what they do) for the pane's key line, in order; it fits the
#: pane's 27 columns: ``e edit  +/- tag  N note``.
EDIT_KEYS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("inbox.edit_contact",), "edit"),
    (("inbox.tag_contact", "inbox.untag_contact"), "tag"),
    (("inbox.note_contact",), "note"),
)


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


def edit_keys_content(shown: dict[str, str]) -> Content:
    """``e edit  +/- tag  N note`` from binding id -> key label."""
    parts: list[Content | str] = []
    for binding_ids, what in EDIT_KEYS:
        key = "/".join(shown[i] for i in binding_ids if shown.get(i))
        if key:
            if parts:
                parts.append("  ")
            parts += [Content.styled(key, "bold $text-accent"), f" {what}"]
    return Content.assemble(*parts).stylize("$text-muted")


class ContactPane(VerticalScroll):
    """Right-hand pane; hidden on narrow terminals and toggled with ``i``."""

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings("contact_pane")]

    DEFAULT_CSS = """
    ContactPane {
        width: 30;
        border-left: solid $panel-lighten-2;
        padding: 0 1;
        background: $surface;
    }
    ContactPane > Static { width: 1fr; }
    ContactPane > #contact-keys { dock: bottom; height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)
        self.conversation: Conversation | None = None
        self.contact: Contact | None = None

    def compose(self) -> ComposeResult:
        yield Static(contact_content(None, None), id="contact-body")
        keys_line = Static("", id="contact-keys")
        keys_line.display = False
        yield keys_line

    def show(self, conversation: Conversation | None, contact: Contact | None) -> None:
        """Show ``conversation``'s contact; ``contact`` None means its details are loading."""
        self.conversation = conversation
        self.contact = contact
        self.query_one("#contact-body", Static).update(contact_content(conversation, contact))
        keys_line = self.query_one("#contact-keys", Static)
        keys_line.display = conversation is not None
        if conversation is not None:
            keys_line.update(edit_keys_content(self.edit_keys()))

    def edit_keys(self) -> dict[str, str]:
        """Binding id -> key label of the edit keys, as bound on the screen right now.

        Read from the screen's active bindings so a user's keymap shows; a key
        that is not bound there (the pane hosted elsewhere) shows its default.
        """
        wanted = {binding_id for binding_ids, _ in EDIT_KEYS for binding_id in binding_ids}
        shown: dict[str, str] = {}
        try:
            active = self.screen.active_bindings
        except Exception:  # not on a screen yet
            active = {}
        for active_binding in active.values():
            binding = active_binding.binding
            if binding.id in wanted and binding.id not in shown:
                shown[binding.id] = self.app.get_key_display(binding)
        for binding_id in wanted - shown.keys():
            shown[binding_id] = keys.key_label(keys.keys_for(binding_id)).split(" / ")[0]
        return shown
