"""The contact at hand: edit the open conversation's contact without leaving the inbox.

The inbox's ``e`` (whole form), ``+`` / ``-`` (tags) and ``N`` (note) call
:func:`edit_contact_at_hand`.  It re-reads the contact from Sendbee first: the
pane's copy was loaded when the conversation was opened, and the API replaces a
contact's whole tag set on every update, so editing an old copy could drop a tag
a colleague added since.  Then it opens
:class:`~sendbee_tui.tui.screens.contacts.form.ContactForm` (without the phone
row: the number is what ties the contact to this conversation),
:class:`~sendbee_tui.tui.screens.contacts.quick.TagChangeForm` or
:class:`~sendbee_tui.tui.screens.contacts.quick.NoteForm`.

Whatever Sendbee stored is handed to the inbox (``update_contact``), so the
conversation list and the contact pane show it at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Literal, Protocol

from textual.screen import Screen

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import Contact, ContactField, Conversation, Tag
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import FormModal
from sendbee_tui.tui.safe_text import clean_model
from sendbee_tui.tui.screens.contacts.form import ContactForm
from sendbee_tui.tui.screens.contacts.list_screen import load_all
from sendbee_tui.tui.screens.contacts.quick import NoteForm, TagChangeForm, contact_label

__all__ = ["CONTACT_KEYS", "EDITS", "ContactHost", "Edit", "edit_contact_at_hand", "find_contact"]

log = logging.getLogger(__name__)

Edit = Literal["form", "tag", "untag", "note"]
#: What :func:`edit_contact_at_hand` can open: the whole form, add/remove tags, a note.
EDITS: tuple[Edit, ...] = ("form", "tag", "untag", "note")
#: The inbox's key registry ids for them (``e``, ``+``, ``-``, ``N`` by default).
CONTACT_KEYS = (
    "inbox.edit_contact",
    "inbox.tag_contact",
    "inbox.untag_contact",
    "inbox.note_contact",
)


class ContactHost(Protocol):
    """What the editing needs of the inbox (:class:`~sendbee_tui.tui.inbox.InboxService`)."""

    @property
    def client(self) -> SendbeeClient: ...
    @property
    def current_conversation(self) -> Conversation | None: ...
    def contact_for(self, conv: Conversation) -> Contact | None: ...
    def update_contact(self, contact: Contact) -> None: ...


async def find_contact(client: SendbeeClient, conv: Conversation) -> Contact | None:
    """The full contact record of ``conv``, as Sendbee has it now (``None``: none yet).

    There is no "get one contact" call: the contacts are searched by the
    conversation's phone (else name) and matched by id, then by phone.
    """
    summary = conv.contact
    query = summary.phone or summary.name
    if not query:
        return None
    found = (await client.contacts.list(search_query=query)).items
    by_id = next((c for c in found if summary.id and c.id == summary.id), None)
    if by_id is not None:
        return by_id
    return next((c for c in found if summary.phone and c.phone == summary.phone), None)


def edit_contact_at_hand(screen: Screen[Any], host: ContactHost, what: str) -> None:
    """Open the ``what`` edit (one of :data:`EDITS`) for the open conversation's contact.

    Loads in a worker of ``screen`` (the contact, and the account's tags and
    fields as the form needs them), then pushes the form; every failure is a
    notification, never an exception.
    """
    if what not in EDITS:
        raise ValueError(f"unknown contact edit {what!r}; expected one of {EDITS}")
    conv = host.current_conversation
    if conv is None:
        screen.notify(
            "Open a conversation first: its contact is the one edited.",
            severity="warning",
            markup=False,
        )
        return
    screen.run_worker(
        _open(screen, host, conv, what),
        group="contact-at-hand",
        exclusive=True,
        exit_on_error=False,
    )


async def _load(
    client: SendbeeClient, conv: Conversation, what: Edit
) -> tuple[Contact | None, list[Tag], list[ContactField]]:
    tags: Sequence[Tag] = ()
    fields: Sequence[ContactField] = ()
    if what == "form":
        contact, tags, fields = await asyncio.gather(
            find_contact(client, conv),
            load_all(client.tags.iterate()),
            load_all(client.fields.iterate()),
        )
    elif what == "tag":
        contact, tags = await asyncio.gather(
            find_contact(client, conv), load_all(client.tags.iterate())
        )
    else:
        contact = await find_contact(client, conv)
    return (
        clean_model(contact) if contact is not None else None,
        [clean_model(t) for t in tags],
        [clean_model(f) for f in fields],
    )


async def _open(screen: Screen[Any], host: ContactHost, conv: Conversation, what: Edit) -> None:
    who = conv.contact.name or conv.contact.phone or "this contact"
    try:
        contact, tags, fields = await _load(host.client, conv, what)
    except (SendbeeError, ValueError) as exc:  # ValueError: the client refused the query
        log.info("loading the contact to edit failed: %r", exc)
        screen.notify(
            f"Could not load {who}'s contact: {describe_error(exc)}",
            severity="error",
            markup=False,
        )
        return
    if contact is None:
        screen.notify(
            f"Sendbee has no contact record for {who} yet.", severity="warning", markup=False
        )
        return
    # The pane shows the fresh record while the form is open.
    host.update_contact(contact)
    if what == "untag" and not contact.tags:
        screen.notify(f"{contact_label(contact)} has no tags.", markup=False, timeout=3)
        return

    def saved(stored: Contact | None) -> None:
        if stored is None:
            return
        host.update_contact(stored)
        done = {
            "form": "Contact saved.",
            "tag": "Tags added.",
            "untag": "Tag removed.",
            "note": "Note added.",
        }[what]
        screen.notify(f"{done} Showing what Sendbee stored.", title="Contact", markup=False)

    known = [t.name for t in tags if t.name]
    client = host.client
    if what == "form":
        form: FormModal[Contact] = ContactForm(
            client,
            contact=contact,
            tags=tags,
            fields=fields,
            phone_editable=False,
            title=f"Edit {contact_label(contact)} ({contact.phone or 'no phone'})",
        )
    elif what == "note":
        form = NoteForm(client, contact)
    else:
        form = TagChangeForm(
            client, contact, mode="add" if what == "tag" else "remove", known=known
        )
    screen.app.push_screen(form, saved)
