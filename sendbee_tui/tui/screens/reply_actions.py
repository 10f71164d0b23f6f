"""Writing and sending replies on the inbox screen, as a base class of the main screen.

Kept apart from :mod:`.main` (layout, service messages, opening a conversation)
so each stays small: everything here answers the composer (drafts, media URL,
keep the chatbot on, agent, snippets, Enter) and the thread's outbox entries
(their keys, their changes, the row marks they give).  A reply goes through the
outbox only: nothing here sends one a second time.
"""

from __future__ import annotations

from functools import partial

from textual import on
from textual.content import Content
from textual.widgets import TextArea

from sendbee_tui.api import Conversation, Member
from sendbee_tui.outbox import OutboxEntry, OutboxStateError
from sendbee_tui.tui import keys
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.inbox import NeedsYouChanged, OutboxChanged, SendStateChanged
from sendbee_tui.tui.inbox.conversations import model_id, window_left
from sendbee_tui.tui.outbox_commands import run_outbox_action
from sendbee_tui.tui.safe_text import literal
from sendbee_tui.tui.screens.inbox_actions import InboxActions
from sendbee_tui.tui.widgets.composer import Composer
from sendbee_tui.tui.widgets.status import StatusLine
from sendbee_tui.tui.widgets.thread import Thread

__all__ = ["ReplyActions"]


class ReplyActions(InboxActions):
    """The composer's and the outbox's messages (the main screen subclasses it)."""

    #: Conversations whose "sending turns the chatbot off" warning was shown.
    _bot_warned: set[str]
    #: The composer and its text box, held for :meth:`keep_composer_draft` (no query
    #: finds them once the screen is unmounted).
    _composer: tuple[Composer, TextArea] | None

    # ------------------------------------------------------------------ the composer

    @on(Composer.DraftChanged)
    def _draft_changed(self, event: Composer.DraftChanged) -> None:
        conv = event.conversation or self.composer.conversation
        if conv is not None:
            before = self.service.row_marks(conv)
            self.service.set_draft(model_id(conv), event.text)
            if self.service.row_marks(conv) != before:
                # The draft mark came or went (the first key, or the text emptied):
                # only then does the row read differently.
                self.conv_list.refresh_rows(frozenset({model_id(conv)}))

    @on(Composer.MediaChanged)
    def _media_changed(self, event: Composer.MediaChanged) -> None:
        self.service.set_media_draft(model_id(event.conversation), event.url)

    @on(Composer.PreventBotOffChanged)
    def _prevent_bot_off_changed(self, event: Composer.PreventBotOffChanged) -> None:
        """Ctrl+T belongs to one conversation: remembered for it only."""
        self.service.set_prevent_bot_off(model_id(event.conversation), event.value)

    @on(Composer.ChooseAgent)
    def _choose_agent(self, event: Composer.ChooseAgent) -> None:
        """Ctrl+G in the composer: pick the team member replies are sent as."""
        from sendbee_tui.tui.screens.teams import AgentPicker  # imported when first used

        def chosen(result: object) -> None:
            # A Member, NO_AGENT ("nobody in particular") or None (cancelled: keep it).
            if result is not None:
                self.composer.set_agent(result if isinstance(result, Member) else None)
            self.composer.input.focus()

        self.app.push_screen(AgentPicker(current=event.current), chosen)

    @on(Composer.ChooseSnippet)
    def _choose_snippet(self) -> None:
        """Ctrl+S in the composer: a canned reply filled from the contact, inserted, never sent."""
        from sendbee_tui.tui.screens.snippets import SnippetPicker, insert_snippet

        conv = self.composer.conversation
        if conv is not None:
            from sendbee_tui.tui.snippets import contact_values  # on first use

            values = contact_values(conv.contact, self.service.contact_for(conv))
            self.app.push_screen(SnippetPicker(values), partial(insert_snippet, self.composer))

    @on(Composer.Send)
    def _send(self, event: Composer.Send) -> None:
        """Enter: queue the reply in the outbox (the composer is already empty).

        Refused replies (window closed, the first reply that would turn the
        chatbot off) go back into the composer.  A queued reply is on disk:
        the thread shows it with its state until the server lists it, and
        nothing here ever sends it a second time.
        """
        conv = event.conversation or self.composer.conversation
        if conv is None:
            return
        conv = self.service.conversation(model_id(conv)) or conv
        if window_left(conv, self.service.clock()) is None:
            self._give_back(conv, event)
            if self._composing(conv):
                self.composer.window_open = False
                self.composer.update_notice()
            template = keys.hint_key("inbox.template", keys.keymap_in_force(self.app))
            self.app.notify(
                f"The 24-hour window is closed: press {template} to send a template.",
                severity="warning",
                markup=False,
            )
            return
        if (
            conv.chatbot_active
            and not event.prevent_bot_off
            and conv.id not in self._bot_warned
            and not self.service.has_sent(model_id(conv))
        ):
            self._bot_warned.add(model_id(conv))
            self._give_back(conv, event)
            self.composer.set_notice(
                "The chatbot is on: sending turns it off. Press Enter again to send, "
                "or Ctrl+T to keep the bot on for this conversation.",
                "warning",
                bot=True,
            )
            return
        try:
            self.service.enqueue_reply(
                conv,
                event.text,
                event.media_url or None,
                prevent_bot_off=event.prevent_bot_off,
                agent_id=event.agent_id,
            )
        except Exception as exc:  # unusable input, or the outbox is not running
            self._give_back(conv, event)
            self.composer.set_notice(
                Content.assemble("Not queued: ", literal(describe_error(exc))), "error"
            )
            return
        # The sent text leaves the saved draft too, on disk now: after a crash the
        # composer must not offer it again (what was typed after Enter stays).
        if self._composing(conv):
            self.service.set_draft(model_id(conv), self.composer.input.text)
            self.composer.update_notice()
        self.service.save_now()

    def keep_composer_draft(self) -> None:
        """Save what the composer shows as its conversation's draft (the app is ending).

        Its change message may still be queued behind the drawing, and a closing
        screen drops it: the text on screen is what the agent expects to find again.
        """
        if self._composer is None:
            return
        composer, text_box = self._composer
        if composer.conversation is not None:
            self.service.set_draft(model_id(composer.conversation), text_box.text)

    def _composing(self, conv: Conversation) -> bool:
        current = self.composer.conversation
        return current is not None and current.id == conv.id

    def _give_back(self, conv: Conversation, event: Composer.Send) -> None:
        """A refused reply returns to its composer (or its saved draft, if the agent moved on)."""
        if self._composing(conv):
            self.composer.give_back(event.text, event.media_url)
            return
        conv_id = model_id(conv)
        later = self.service.get_draft(conv_id)
        self.service.set_draft(conv_id, f"{event.text}\n{later}" if later.strip() else event.text)
        if event.media_url and not self.service.get_media_draft(conv_id):
            self.service.set_media_draft(conv_id, event.media_url)

    # ------------------------------------------------------------------ the outbox

    def on_outbox_changed(self, event: OutboxChanged) -> None:
        if event.conversation_id == self.service.current_id:
            self.thread.set_outbox(
                event.conversation_id, self.service.outbox_entries(event.conversation_id)
            )

    def on_needs_you_changed(self, event: NeedsYouChanged) -> None:
        self.query_one(StatusLine).needs_you = event.count

    def on_send_state_changed(self, event: SendStateChanged) -> None:
        """A row's "queued/failed send" mark changed (see ``InboxService.send_state``)."""
        self.conv_list.refresh_rows(frozenset({event.conversation_id}))

    @on(Thread.OutboxAction)
    def _outbox_action(self, event: Thread.OutboxAction) -> None:
        """An outbox key on the thread's selected reply; the outbox refuses unsafe ones."""
        outbox = self.service.outbox
        if outbox is None:
            return
        who = self.service.recipient_name(event.entry)
        run_outbox_action(
            self.app, outbox, event.action, event.entry, who=who, edit=self.edit_entry
        )

    def edit_entry(self, entry: OutboxEntry) -> None:
        """``e``: the reply leaves the outbox and its text goes back to the composer."""
        outbox = self.service.outbox
        conv = self.service.current_conversation
        if outbox is None or conv is None or entry.conversation_id != conv.id:
            return
        try:
            text = outbox.edit(entry.id)
        except OutboxStateError as exc:
            self.app.notify(str(exc).capitalize(), severity="warning", markup=False)
            return
        if self._composing(conv):
            self.composer.give_back(text, entry.payload.media_url or "")
            self.composer.input.focus()
