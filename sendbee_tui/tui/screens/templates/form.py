"""Fill in and send one approved WhatsApp template.

One input per placeholder (numbered ``{{1}}`` or named ``{name}``) of the
body and of the buttons' dynamic URLs, an attachment URL when the template has a media header, the
prevent-bot-off switch and an optional agent, next to a live preview of the
exact text the customer will get.  Built on the shared forms toolkit
(:mod:`sendbee_tui.tui.forms`), so Enter sends, Escape asks before throwing
typing away and every error sits under its field.  The rows, the preview and
what is still needed are
:class:`~sendbee_tui.tui.screens.templates.fill_form.TemplateFillForm`'s; this
module is the sending.

A send is made exactly once: it goes through the app's persistent outbox
(:meth:`~sendbee_tui.outbox.Outbox.enqueue_template`, with the filled-in text
as ``expected_body``), which journals it before the request leaves and, when
the answer is lost, reads the conversation instead of sending again.  The form
stays busy until the outbox knows: sent (the dialog closes), failed (the reason
under the form, the values kept), or unconfirmed — not seen on the server —
after which sending again needs a deliberate "yes" in a dialog that names the
risk of a duplicate.  While Sendbee cannot be reached the template waits in the
outbox and Escape closes the form; it goes out by itself later.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import BindingType

from sendbee_tui.api import APIConnectionError, SendbeeClient, ValidationError
from sendbee_tui.api.models import Contact, Conversation, SentMessage, Template
from sendbee_tui.outbox import Outbox, OutboxEntry, State, fill_template
from sendbee_tui.tui import keys
from sendbee_tui.tui.inbox.sending import settled
from sendbee_tui.tui.screens.templates.fill_form import TemplateFillForm
from sendbee_tui.tui.screens.templates.preview import WINDOW_NOTICE

__all__ = ["TemplateFormScreen"]


#: How the outbox words a parameter error Sendbee answered (see ``outbox.rules.describe``).
_REFUSED = re.compile(r"HTTP (400|422): (.*)", re.DOTALL)


class NotSeen(APIConnectionError):
    """The outbox could not tell whether the template arrived (``unconfirmed``).

    An :class:`APIConnectionError` with ``request_sent``, so the forms toolkit
    treats the outcome as unknown and asks before sending again.
    """


class TemplateFormScreen(TemplateFillForm):
    """Fill in and send one approved template; dismisses with the :class:`SentMessage`.

    Args:
        client: The API client the template is sent with.
        template: The template (an approved one can be sent; others are refused).
        phone: Recipient phone; ``None`` (and no contact/conversation) asks for one.
        contact: The recipient contact: its data fills placeholders (Ctrl+F).
        conversation: The conversation the send continues (its contact is the recipient).
        on_sent: Called with Sendbee's answer after a successful send, before the
            dialog closes (the app refreshes that conversation).

        agent_id: The team member the send is attributed to at first (the inbox
            passes the composer's Ctrl+G choice); the agent can change it.

    Fields are named ``phone`` (new numbers only), ``tag_<name>`` (body placeholders),
    ``button_<name>`` (button URL placeholders), ``attachment``, ``prevent_bot_off``
    and ``agent_id``; ``<name>`` is ``1`` for ``{{1}}``, ``day`` for ``{day}``.
    """

    submit_label = "Send"
    discard_message = "Discard this template message?"
    confirm_resend = True
    resend_message = (
        "The last send may have reached Sendbee: it failed without an answer and was not "
        "seen in the conversation, but the customer may still have this message. Sending "
        "again could deliver it twice (the conversation is read once more first). "
        "Send it again anyway?"
    )
    resend_confirm_label = "Send again"
    resend_cancel_label = "Don't send"

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(
        "template", only=["form.submit"], form_submit="Send"
    )

    # Screen-level CSS (not DEFAULT_CSS) so it outranks the shared forms.tcss.
    CSS = """
    TemplateFormScreen #form-dialog { width: 118; max-height: 100%; }
    TemplateFormScreen #template-columns { height: auto; }
    TemplateFormScreen #form-body { width: 1fr; height: auto; padding-right: 1; }
    TemplateFormScreen #template-preview-pane {
        width: 1fr; height: auto;
        border-left: solid $primary 50%; padding: 0 0 0 1;
    }
    TemplateFormScreen #template-preview-title { color: $text-muted; text-style: bold; }
    TemplateFormScreen #template-preview {
        height: auto; background: $boost; padding: 0 1; margin-bottom: 1;
    }
    TemplateFormScreen #template-readiness { color: $text-success; margin-bottom: 1; }
    TemplateFormScreen #template-readiness.-needed { color: $text-warning; }
    TemplateFormScreen #template-window-note { color: $text-muted; text-style: italic; }
    """

    def __init__(
        self,
        client: SendbeeClient,
        template: Template,
        *,
        phone: str | None = None,
        contact: Contact | None = None,
        conversation: Conversation | None = None,
        on_sent: Callable[[SentMessage], None] | None = None,
        agent_id: str | None = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(
            client,
            template,
            phone=phone,
            contact=contact,
            conversation=conversation,
            agent_id=agent_id,
            name=name,
            id=id,
        )
        self.on_sent = on_sent
        self.result: SentMessage | None = None
        #: The outbox entry of the last send, while its outcome is unknown or awaited.
        self.entry_id: str | None = None

    # -- sending -------------------------------------------------------------------

    def action_submit(self) -> None:
        """Validate and send once; while a send is in flight further presses are ignored."""
        super().action_submit()
        self._update_send_state()

    def action_cancel(self) -> None:
        """Close (asking first if something was typed); not while a send is in flight.

        Closing mid-send would hide the answer from the agent.  Only a template
        waiting in the outbox for Sendbee to come back may be left there: it
        goes out by itself, and the conversation shows it meanwhile.
        """
        if self.is_busy:
            entry = self._entry()
            if entry is not None and entry.state is State.QUEUED and entry.error:
                self.dismiss(None)
                return
            self.notify("Sending… wait for Sendbee's answer.", severity="warning")
            return
        super().action_cancel()

    def _outbox(self) -> Outbox:
        outbox = getattr(self.app, "outbox", None)
        if not isinstance(outbox, Outbox):
            raise ValueError("Cannot send: the outbox is not running.")
        return outbox

    def _entry(self) -> OutboxEntry | None:
        outbox = getattr(self.app, "outbox", None)
        if not isinstance(outbox, Outbox) or self.entry_id is None:
            return None
        return outbox.get(self.entry_id)

    async def submit_form(self, values: dict[str, Any]) -> SentMessage:
        """Queue the template in the outbox (or resend the unconfirmed one) and await it."""
        outbox = self._outbox()
        previous = self._entry()
        if previous is not None and previous.state is State.UNCONFIRMED:
            # The agent said yes to the duplicate risk; the outbox looks once more first.
            entry = outbox.resend_unconfirmed(previous.id, confirm=True)
        else:
            entry = self._enqueue(outbox, values)
        self.entry_id = entry.id
        self.show_form_info("Sending…")
        outcome = await settled(outbox, entry.id)
        if not outcome.removed and outcome.state is State.QUEUED:
            # Sendbee cannot be reached: the outbox sends it when it answers.
            self.show_form_info(
                f"Queued ({outcome.error}): it goes out by itself when Sendbee answers. "
                "Esc closes this and leaves it queued."
            )
            outcome = await settled(outbox, entry.id, through_queue=True)
        return self._result_of(outbox, outcome)

    def _enqueue(self, outbox: Outbox, values: dict[str, Any]) -> OutboxEntry:
        tags, button_tags = self.placeholder_values()
        phone = self.phone or str(values.get("phone") or "").strip()
        attachment = str(values.get("attachment") or "").strip() or None
        agent_id = values.get("agent_id")
        conversation_id = self.conversation.id if self.conversation is not None else None
        return outbox.enqueue_template(
            phone,
            self.template.keyword or "",
            self.template.language or "",
            tags=tags,
            button_tags=button_tags,
            attachment=attachment,
            conversation_id=conversation_id or None,
            prevent_bot_off=bool(values.get("prevent_bot_off")),
            agent_id=str(agent_id) if agent_id else None,
            # What the customer gets, as the preview shows it: the outbox looks
            # for exactly this text when an answer is lost.
            expected_body=fill_template(self.template.text or "", tags),
        )

    def _result_of(self, outbox: Outbox, entry: OutboxEntry) -> SentMessage:
        """Sendbee's answer for a sent entry; an exception the toolkit shows otherwise."""
        if entry.removed:
            self.entry_id = None
            raise ValueError("Not sent: the template was discarded from the outbox.")
        if entry.state is State.SENT:
            self.entry_id = None
            return SentMessage(
                id=entry.conversation_id, message_id=entry.server_message_id, status="sent"
            )
        if entry.state is State.FAILED:
            # Certainly not delivered: the form keeps the values, the outbox forgets it.
            self.entry_id = None
            outbox.discard(entry.id)
            refused = _REFUSED.fullmatch(entry.error or "")
            if refused is not None:
                # Sendbee's own words, so the toolkit can put them under the field they name.
                raise ValidationError(int(refused.group(1)), refused.group(2))
            raise ValueError(f"Not sent: {entry.error or 'Sendbee refused it'}.")
        raise NotSeen(
            "Sendbee did not answer and the template was not seen in the conversation: "
            "it may or may not have reached the customer."
        )

    def handle_submit_error(self, exc: BaseException) -> None:
        if isinstance(exc, NotSeen):
            self.show_form_error(
                f"{exc} It stays in the outbox as unconfirmed; Send asks before sending again."
            )
            return
        super().handle_submit_error(exc)

    def recipient_label(self) -> str:
        """Who the template went to, for people: the contact's name, else the phone."""
        phone = self.phone or self._value("phone")
        name = self.recipient_name
        if not name and self.contact is not None and self.contact.phone == phone:
            name = self.contact.name  # a typed number that belongs to a known contact
        return (name or "").strip() or phone or "the customer"

    async def on_form_saved(self, result: SentMessage) -> None:
        self.result = result
        answer = f"Template sent to {self.recipient_label()} (status {result.status or '?'})."
        self.show_form_info(answer)
        self.app.notify(f"{answer}\n{WINDOW_NOTICE}", markup=False, timeout=8)
        if self.on_sent is not None:
            self.on_sent(result)
        self.dismiss(result)
