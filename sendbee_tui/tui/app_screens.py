"""The app's doors to its other screens: templates, contacts, tags, fields, teams,
snippets and the outbox, and opening a conversation those screens point at.

:class:`SendbeeApp <sendbee_tui.tui.app.SendbeeApp>` inherits these actions, so
the ``g`` menu, the palette and the keys reach them as ``app.open_*``.  They live
apart from the app's start, stop and polling because each is only "push this
screen with that client and these callbacks"; screens are imported when first
opened (start-up does not pay for them).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.app import App

from sendbee_tui.api import Conversation, SendbeeClient, SentMessage
from sendbee_tui.config import AppConfig
from sendbee_tui.outbox import Outbox, OutboxEntry
from sendbee_tui.tui.inbox import InboxService, model_id
from sendbee_tui.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from sendbee_tui.tui.screens.contacts import ContactsScreen

__all__ = ["ScreenOpeners"]

log = logging.getLogger(__name__)


class ScreenOpeners(App[None]):
    """Actions that open the app's other screens (mixed into the app)."""

    config: AppConfig
    client: SendbeeClient | None
    inbox: InboxService | None
    outbox: Outbox | None
    main_screen: MainScreen | None

    @property
    def exiting(self) -> bool:
        """True once ``exit()`` was called: keys typed ahead must not open screens then."""
        return bool(getattr(self, "_exit", False))

    def _current_for_action(self) -> Conversation | None:
        if self.inbox is None:
            return None
        return self.inbox.current_conversation

    def _connected_client(self) -> SendbeeClient | None:
        """The client screens are opened with; ``None`` (and a notice) before there is one.

        Also ``None`` once the app is exiting: keys typed ahead must not open screens.
        """
        if self.exiting:
            return None
        client: SendbeeClient | None = self.client
        if client is None:
            self.notify("Not connected to Sendbee yet.", severity="warning", markup=False)
        return client

    def action_send_template(self) -> None:
        """A template to the open conversation (or, with none open, to a new number)."""
        client = self._connected_client()
        if client is None:
            return
        conv = self._current_for_action()
        contact = None
        if conv is not None and self.inbox is not None:
            contact = self.inbox.contact_for(conv)
        from sendbee_tui.tui.screens.templates import TemplatePickerScreen

        self.push_screen(
            TemplatePickerScreen(
                client,
                phone=conv.contact.phone if conv is not None else None,
                contact=contact,
                conversation=conv,
                on_sent=self._template_sent,
                agent_id=self.main_screen.composer.agent_id if self.main_screen else None,
            )
        )

    def action_send_template_new(self) -> None:
        """A template to a number with no conversation yet (the form asks for the phone)."""
        client = self._connected_client()
        if client is None:
            return
        from sendbee_tui.tui.screens.templates import TemplatePickerScreen

        self.push_screen(TemplatePickerScreen(client, on_sent=self._template_sent))

    def _template_sent(self, sent: SentMessage) -> None:
        """Show a template just sent: re-read its conversation so the thread has it.

        An app-level worker, because the screens that sent it close right away.
        """
        if sent.conversation_id and self.inbox is not None:
            self.run_worker(
                self._refresh_after_send(sent.conversation_id),
                group="template-sent-refresh",
                exit_on_error=False,
            )

    async def _refresh_after_send(self, conversation_id: str) -> None:
        if self.inbox is None:
            return
        try:
            await self.inbox.refresh_conversation(conversation_id)
        except Exception as exc:  # the send worked; a failed refresh is only cosmetic
            log.info("refreshing conversation after template send failed: %r", exc)

    def on_contacts_screen_open_conversation(
        self, message: ContactsScreen.OpenConversation
    ) -> None:
        """``o`` on the contacts screen: show that conversation in the inbox."""
        conv_id = message.conversation_id
        if conv_id and self.main_screen is not None and self.inbox is not None:
            self.run_worker(self._open_by_id(conv_id), exit_on_error=False)

    async def _open_by_id(self, conv_id: str, *, edit: OutboxEntry | None = None) -> None:
        """Show the conversation in the inbox (``edit``: with that reply back in its composer)."""
        assert self.inbox is not None and self.main_screen is not None
        conv = self.inbox.conversation(conv_id)
        if conv is None:
            conv = await self.inbox.refresh_conversation(conv_id)
        main = self.main_screen
        main.conv_list.move_to(model_id(conv))
        main.open_conversation(conv)
        main.thread.focus()
        if edit is not None:
            main.edit_entry(edit)

    def action_open_contacts(self) -> None:
        client = self._connected_client()
        if client is None:
            return
        from sendbee_tui.tui.screens.contacts import ContactsScreen

        self.push_screen(
            ContactsScreen(
                client,
                # Edits show in the inbox's contact pane too (InboxService.update_contact).
                on_contact_saved=self.inbox.update_contact if self.inbox else None,
                on_template_sent=self._template_sent,
            )
        )

    def action_open_tags(self) -> None:
        client = self._connected_client()
        if client is not None:
            from sendbee_tui.tui.screens.tags import TagsScreen

            self.push_screen(TagsScreen(client))

    def action_open_fields(self) -> None:
        client = self._connected_client()
        if client is not None:
            from sendbee_tui.tui.screens.fields import FieldsScreen

            self.push_screen(FieldsScreen(client))

    def action_open_teams(self) -> None:
        client = self._connected_client()
        if client is not None:
            from sendbee_tui.tui.screens.teams import TeamsScreen

            self.push_screen(TeamsScreen(client))

    def action_open_snippets(self) -> None:
        if not self.exiting:
            from sendbee_tui.tui.screens.snippets import SnippetsScreen

            self.push_screen(SnippetsScreen())

    def action_open_outbox(self) -> None:
        """``g o``: every reply not sent yet, the ones without a thread included."""
        if self.exiting:
            return
        outbox, inbox = self.outbox, self.inbox
        if outbox is None or inbox is None:
            self.notify("The inbox is not open yet.", severity="warning", markup=False)
            return
        from sendbee_tui.tui.screens.outbox import OutboxScreen

        def open_conversation(entry: OutboxEntry, edit: bool) -> None:
            if entry.conversation_id and self.main_screen is not None:
                self.run_worker(
                    self._open_by_id(entry.conversation_id, edit=entry if edit else None),
                    exit_on_error=False,
                )

        self.push_screen(
            OutboxScreen(
                outbox,
                who=inbox.recipient_name,
                open_conversation=open_conversation,
                clock=inbox.clock,
            )
        )
