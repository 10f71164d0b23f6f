"""One-line edits of a contact from the inbox: add tags, remove tags, append a note.

``+``, ``-`` and ``N`` on the inbox open these small forms for the open
conversation's contact (:mod:`~sendbee_tui.tui.screens.contacts.at_hand`), so a
quick "vip" or "called back, wants a refund" costs two keys and Enter instead
of the whole edit form.  They are ordinary :class:`~sendbee_tui.tui.forms.FormModal`
forms: what is typed is kept when Sendbee refuses it, and the refusal shows
under the field.  Each closes with the contact as Sendbee stored it.

Contact names, tags and notes are other people's text: literal Content only.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, Static, TextArea

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Contact
from sendbee_tui.tui.forms import FormField, FormModal
from sendbee_tui.tui.safe_text import clean_model, literal
from sendbee_tui.tui.screens.contacts.detail import notes_content
from sendbee_tui.tui.screens.contacts.tag_input import TagSuggester, split_tags

__all__ = ["NoteForm", "TagChangeForm", "contact_label"]


def contact_label(contact: Contact) -> str:
    """How the forms name a contact: the name, else the phone."""
    return (contact.name or "").strip() or contact.phone or "this contact"


def _tag_names(contact: Contact) -> list[str]:
    return [t.name for t in contact.tags if t.name]


class TagChangeForm(FormModal[Contact]):
    """Add tags to a contact (``mode="add"``) or remove some (``mode="remove"``).

    Args:
        client: The API client the contact is saved with.
        contact: The contact as Sendbee has it now (its tags are the starting set).
        mode: ``"add"`` or ``"remove"``.
        known: The account's tag names (completion; a typed name takes their spelling).

    The field is ``tags``: a comma separated list, completed from the account's
    tags (adding) or the contact's own (removing).  A tag Sendbee does not know
    yet is created when it is added.
    """

    # Screen-level CSS (not DEFAULT_CSS) so it outranks the shared forms.tcss.
    CSS = """
    TagChangeForm #form-dialog { width: 64; }
    """

    def __init__(
        self,
        client: SendbeeClient,
        contact: Contact,
        *,
        mode: Literal["add", "remove"],
        known: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.client = client
        self.contact = contact
        self.mode = mode
        self.current = _tag_names(contact)
        self.known = sorted({*(known or ()), *self.current}, key=str.casefold)
        who = contact_label(contact)
        self.form_title = f"Tag {who}" if mode == "add" else f"Remove a tag from {who}"
        self.submit_label = "Add" if mode == "add" else "Remove"

    def compose_form(self) -> ComposeResult:
        has = ", ".join(self.current) if self.current else "(none)"
        yield Label("Tags now", classes="form-readonly-label")
        yield Static(literal(has), id="tags-now", classes="form-readonly")
        adding = self.mode == "add"
        offered = [n for n in self.known if n not in self.current] if adding else self.current
        yield FormField(
            "tags",
            "Add tags" if adding else "Remove tags",
            Input(
                placeholder="vip, newsletter" if adding else "a tag of this contact",
                suggester=TagSuggester(offered),
            ),
            required=True,
            help="→ takes the suggested tag." if adding else "→ takes a tag from above.",
            aliases=("tag", "tags"),
        )
        # What Enter will store, so a half-typed "n" is seen before it becomes a tag.
        yield Static(self._result_line(""), id="tags-after", classes="form-readonly")

    def _result_line(self, typed: str) -> Content:
        names = self.typed({"tags": typed})
        if not names:
            return literal("")
        after = self.new_tags({"tags": typed})
        known = {n.casefold() for n in self.known}
        parts: list[Content] = [literal("After: ", "bold")]
        for index, name in enumerate(after):
            if index:
                parts.append(literal(", "))
            parts.append(literal(name))
            if name.casefold() not in known:
                parts.append(literal(" (new tag)", "italic $text-warning"))
        if not after:
            parts.append(literal("no tags"))
        return Content.assemble(*parts)

    @on(Input.Changed, "#input-tags")
    def _tags_typed(self, event: Input.Changed) -> None:
        self.query_one("#tags-after", Static).update(self._result_line(event.value))

    def typed(self, values: dict[str, Any]) -> list[str]:
        """The tag names typed, in the account's spelling."""
        return split_tags(str(values.get("tags") or ""), self.known)

    def check_form(self, values: dict[str, Any]) -> dict[str, str]:
        names = self.typed(values)
        current = {n.casefold() for n in self.current}
        if self.mode == "remove":
            strangers = [n for n in names if n.casefold() not in current]
            if strangers:
                listed = ", ".join(f"“{n}”" for n in strangers)
                return {"tags": f"Not a tag of this contact: {listed}."}
        elif names and all(n.casefold() in current for n in names):
            return {"tags": "The contact has these tags already."}
        return {}

    def new_tags(self, values: dict[str, Any]) -> list[str]:
        """The contact's whole tag set after this change (the API replaces the set)."""
        names = self.typed(values)
        if self.mode == "remove":
            gone = {n.casefold() for n in names}
            return [n for n in self.current if n.casefold() not in gone]
        have = {n.casefold() for n in self.current}
        return [*self.current, *(n for n in names if n.casefold() not in have)]

    async def submit_form(self, values: dict[str, Any]) -> Contact:
        stored = await self.client.contacts.update(
            self.contact.id or "", tags=self.new_tags(values)
        )
        return clean_model(stored)


class NoteForm(FormModal[Contact]):
    """Append a note to a contact; the notes so far are shown under the box.

    A lost answer may mean the note was stored: adding it again asks first
    (``confirm_resend``), because notes are appended and a resend would add it twice.
    """

    confirm_resend: ClassVar[bool] = True
    resend_message = (
        "The last save may have reached Sendbee: it failed without an answer, so the "
        "note may be stored already. Adding it again could add it twice. Add it anyway?"
    )
    resend_confirm_label = "Add again"
    resend_cancel_label = "Don't add"
    discard_message = "Discard this note?"
    submit_label = "Add note"

    CSS = """
    NoteForm #form-dialog { width: 70; }
    NoteForm #notes-so-far { max-height: 8; }
    """

    def __init__(self, client: SendbeeClient, contact: Contact) -> None:
        super().__init__()
        self.client = client
        self.contact = contact
        self.form_title = f"Note on {contact_label(contact)}"

    def compose_form(self) -> ComposeResult:
        yield FormField(
            "note",
            "Note",
            TextArea(id="input-note"),
            required=True,
            help="Appended to the contact's notes. Ctrl+S adds it.",
            aliases=("note", "notes"),
        )
        if self.contact.notes:
            yield Label("Notes so far", classes="form-readonly-label")
            yield Static(
                notes_content(self.contact.notes), id="notes-so-far", classes="form-readonly"
            )

    async def submit_form(self, values: dict[str, Any]) -> Contact:
        note = str(values.get("note") or "").strip()
        stored = await self.client.contacts.update(self.contact.id or "", notes=[note])
        return clean_model(stored)
