"""Contacts: the screen (``g c``) and the contact actions; the list itself is ``paged_list``.

Opened from the inbox with ``g c`` (``action_open_contacts`` in the app) or the
command palette.  The searchable, filterable, lazily paged list and its detail
pane are :class:`~sendbee_tui.tui.screens.contacts.paged_list.PagedContactList`;
this screen adds what the agent can do with a contact:

* ``a`` subscribe a new contact, ``e``/Enter edit the highlighted one
  (:class:`~sendbee_tui.tui.screens.contacts.form.ContactForm`; the detail pane
  then shows what the server *stored*, and ``on_contact_saved`` passes it on so
  the inbox shows the same);
* ``o`` open that contact's conversation: the screen finds it with
  ``conversations.list(search_query=phone)`` and posts
  :class:`ContactsScreen.OpenConversation` to the app, which switches the inbox;
* ``t`` send a template to the contact (the template picker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.binding import BindingType
from textual.message import Message

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.errors import SendbeeError
from sendbee_tui.api.models import Contact, SentMessage
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.forms import PaletteCommand
from sendbee_tui.tui.forms.palette import screen_commands
from sendbee_tui.tui.screens.contacts.detail import find_conversation
from sendbee_tui.tui.screens.contacts.form import ContactForm
from sendbee_tui.tui.screens.contacts.paged_list import PAGE_SIZE, PagedContactList, load_all
from sendbee_tui.tui.screens.templates import TemplatePickerScreen

__all__ = ["PAGE_SIZE", "ContactsScreen", "load_all"]


class ContactsScreen(PagedContactList):
    """The contacts list with filters, detail pane and the contact actions.

    Args:
        client: The API client the contacts are read and saved with.
        on_contact_saved: Called with the contact as Sendbee stored it after every
            save, so whoever else shows contacts (the inbox) can show the same.
        on_template_sent: Passed to the template picker (``t``): called with
            Sendbee's answer after a template was sent to the contact.

    The list (paging, filters, detail pane) is
    :class:`~sendbee_tui.tui.screens.contacts.paged_list.PagedContactList`.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("contacts", "records")

    @dataclass
    class OpenConversation(Message):
        """Ask the app to open (or start) the conversation with this contact.

        ``conversation_id`` is ``None`` when the contact has no conversation yet;
        starting one then needs a template message.
        """

        conversation_id: str | None
        phone: str
        contact: Contact | None = None

    def __init__(
        self,
        client: SendbeeClient,
        *,
        on_contact_saved: Callable[[Contact], None] | None = None,
        on_template_sent: Callable[[SentMessage], None] | None = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(client, name=name, id=id)
        self.on_contact_saved = on_contact_saved
        self.on_template_sent = on_template_sent

    def palette_commands(self) -> list[PaletteCommand]:
        """Everything on the keyboard, also in the command palette."""
        return screen_commands(self, "contacts", "Contacts")

    # -- actions -----------------------------------------------------------------

    def action_subscribe(self) -> None:
        """Subscribe a new contact."""
        self.app.push_screen(
            ContactForm(self.client, tags=self.tags, fields=self.fields), self._saved
        )

    def action_edit(self) -> None:
        """Edit the highlighted contact."""
        contact = self.selected
        if contact is None:
            self.notify("No contact selected.", severity="warning")
            return
        self.app.push_screen(
            ContactForm(self.client, contact=contact, tags=self.tags, fields=self.fields),
            self._saved,
        )

    def _saved(self, contact: Contact | None) -> None:
        if contact is None:
            return
        self.replace_contact(contact)
        if self.on_contact_saved is not None:
            self.on_contact_saved(contact)
        self.notify("Saved. Showing what Sendbee stored.", title="Contact", markup=False)
        # A typed new tag now exists on the server: refresh the tag list.
        known = {t.name for t in self.tags}
        if any(t.name not in known for t in contact.tags):
            self.load_metadata()

    def action_open_conversation(self) -> None:
        """Find the contact's conversation and ask the app to open it."""
        contact = self.selected
        if contact is None or not contact.phone:
            self.notify("No contact selected.", severity="warning")
            return
        self._find_conversation(contact)

    @work(group="contacts-open", exclusive=True, exit_on_error=False)
    async def _find_conversation(self, contact: Contact) -> None:
        phone = contact.phone or ""
        self.set_status("Looking for the conversation…")
        try:
            page = await self.client.conversations.list(search_query=phone)
        except SendbeeError as exc:
            self.set_status(describe_error(exc), error=True)
            return
        self._count_status()
        found = find_conversation(page.items, contact)
        if found is None:
            self.notify(
                "No conversation with this contact yet: send a template to start one.",
                title="Conversation",
                markup=False,
            )
            self.action_send_template()
            return
        # The app switches the inbox to it (SendbeeApp handles this message).
        self.dismiss(None)
        self.app.post_message(ContactsScreen.OpenConversation(found, phone, contact))

    def action_send_template(self) -> None:
        """Open the template picker for the highlighted contact."""
        contact = self.selected
        if contact is None or not contact.phone:
            self.notify("No contact selected.", severity="warning")
            return
        self.app.push_screen(
            TemplatePickerScreen(
                self.client,
                phone=contact.phone,
                contact=contact,
                on_sent=self.on_template_sent,
            )
        )
