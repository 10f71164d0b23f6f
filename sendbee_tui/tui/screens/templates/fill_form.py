"""The template form before the send: its rows, the live preview, and help filling them in.

One input per placeholder (numbered ``{{1}}`` or named ``{name}``) of the body
and of the buttons' dynamic URLs, an attachment URL when the template has a
media header, the prevent-bot-off switch and an optional agent, next to a live
preview of the exact text the customer will get.  Send stays disabled, with
what is still needed written under the preview, until everything is valid; the
team members and the contact's values (Ctrl+F) are loaded in the background.

Sending — once, through the outbox — is
:class:`~sendbee_tui.tui.screens.templates.form.TemplateFormScreen`'s, the
screen built on this one.
"""

from __future__ import annotations

import logging

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.css.scalar import Scalar
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Contact, Conversation, Member, SentMessage, Template
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.forms import FormField, FormModal
from sendbee_tui.tui.safe_text import clean_model, literal
from sendbee_tui.tui.screens.teams import load_members, member_select_options
from sendbee_tui.tui.screens.templates.contact_values import ContactValuePicker
from sendbee_tui.tui.screens.templates.fields import (
    PLACEHOLDER_CLASS,
    button_field,
    tag_field,
    template_rows,
)
from sendbee_tui.tui.screens.templates.preview import WINDOW_NOTICE, template_preview

__all__ = ["TemplateFillForm"]

log = logging.getLogger(__name__)


class TemplateFillForm(FormModal[SentMessage]):
    """A template's rows and live preview, and what is still needed before it can go.

    See :class:`~sendbee_tui.tui.screens.templates.form.TemplateFormScreen` for the
    arguments and the field names.
    """

    def __init__(
        self,
        client: SendbeeClient,
        template: Template,
        *,
        phone: str | None = None,
        contact: Contact | None = None,
        conversation: Conversation | None = None,
        agent_id: str | None = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.client = client
        self.template = template
        self.contact = contact
        self.conversation = conversation
        self.phone = tt.recipient_phone(phone, contact, conversation)
        self.recipient_name = tt.recipient_name(contact, conversation)
        self.agent_id = agent_id or None
        #: Placeholder -> form field, for the body and for the buttons' URLs.
        self.tag_fields = tag_field(template)
        self.button_fields = button_field(template)
        self.tag_names = list(self.tag_fields)
        self.button_names = list(self.button_fields)
        self.attachment_rule = tt.attachment_rule(template.attachment)
        self.members: list[Member] = []
        title = template.name or template.keyword
        self.form_title = f"Send template “{title}” ({template.language})"
        # Values of the contact offered by "fill from contact", refined once loaded.
        self.contact_values: dict[str, str] = tt.contact_values(
            conversation.contact if conversation is not None else contact
        )
        if contact is not None:
            self.contact_values.update(tt.contact_values(contact))

    # -- composition -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The same ids as FormModal.compose (the toolkit's logic relies on them),
        # with the preview pane beside the fields.
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(literal(self.form_title), id="form-title", classes="dialog-title")
            # Scroll containers are focusable by default; here that would put two
            # dead stops in the Tab order (and steal the initial focus).
            body = VerticalScroll(id="form-body")
            body.can_focus = False
            preview_pane = VerticalScroll(id="template-preview-pane")
            preview_pane.can_focus = False
            with Horizontal(id="template-columns"):
                with body:
                    yield from self.compose_form()
                with preview_pane:
                    yield Label("What the customer gets", id="template-preview-title")
                    yield Static(self._preview(), id="template-preview")
                    yield Static("", id="template-readiness")
                    yield Static(WINDOW_NOTICE, id="template-window-note")
            yield from self.compose_status_and_buttons()
        yield Footer()

    def compose_form(self) -> ComposeResult:
        yield from template_rows(self.template, self.phone, self.recipient_name)

    def on_mount(self) -> None:
        super().on_mount()
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.control.focus()
        self._update_send_state()
        self._load_members()
        if self.phone and not (self.contact is not None and self.contact.contact_fields):
            self._load_contact(self.phone)

    def _fit_body(self) -> None:
        """Let the two columns scroll rather than push the buttons off a small terminal.

        Replaces the toolkit's fitting (which sizes ``#form-body`` alone; here the
        fields share the height with the preview).  The toolkit calls this on
        mount, on resize and when the status line appears or goes.
        """
        if not self.is_attached:
            return
        try:
            dialog = self.query_one("#form-dialog")
            columns = self.query_one("#template-columns")
            panes = [
                self.query_one(pane_id) for pane_id in ("#form-body", "#template-preview-pane")
            ]
        except NoMatches:  # called while the form is being taken down
            return
        # Measured from the parts around the columns (not dialog minus columns: the
        # dialog may already be clipped by the terminal, which hides the overhead).
        overhead = dialog.styles.gutter.height + sum(
            child.outer_size.height + child.styles.margin.height
            for child in dialog.children
            if child is not columns and child.display
        )
        docked = sum(footer.outer_size.height for footer in self.query(Footer))
        available = max(6, self.size.height - docked - overhead)
        for pane in panes:
            if pane.styles.max_height != Scalar.from_number(available):
                pane.styles.max_height = available

    # -- background loads ----------------------------------------------------------

    @work(group="template-members", exit_on_error=False)
    async def _load_members(self) -> None:
        select = self.fields["agent_id"].control
        assert isinstance(select, Select)
        try:
            self.members = await load_members(self.client)
        except Exception as exc:
            log.info("loading members failed: %r", exc)
            if self.agent_id:
                # The inbox's choice still holds: offer it alone rather than drop it.
                select.set_options([("The agent chosen in the composer", self.agent_id)])
                self._preselect_agent(select, self.agent_id)
                help_text = "Could not load the team members; sent as the composer's agent."
            else:
                help_text = "Could not load the team members; the send is not attributed."
            self.fields["agent_id"].query_one(".form-help", Static).update(literal(help_text))
            return
        select.set_options(member_select_options(self.members))
        if self.agent_id and any(m.id == self.agent_id for m in self.members):
            self._preselect_agent(select, self.agent_id)

    def _preselect_agent(self, select: Select[str], agent_id: str) -> None:
        """Start from the inbox's agent without counting it as a change (Escape needn't ask)."""
        was_clean = not self.is_dirty
        select.value = agent_id
        if was_clean and self._snapshot is not None:
            self._snapshot["agent_id"] = agent_id

    @work(group="template-contact", exclusive=True, exit_on_error=False)
    async def _load_contact(self, phone: str) -> None:
        """Find the contact with ``phone`` (name, custom fields) for "fill from contact".

        Also runs when a valid new number is typed: it may belong to a known contact.
        """
        try:
            page = await self.client.contacts.list(search_query=phone)
        except Exception as exc:
            log.debug("contact lookup failed: %r", exc)
            return
        for found in page.items:
            if found.phone == phone:
                self.contact = clean_model(found)
                self.contact_values = tt.contact_values(self.contact)
                return
        if "phone" in self.fields:  # a typed number nobody has yet
            self.contact = None
            self.contact_values = {"Phone": phone}

    # -- values, preview, readiness ------------------------------------------------

    def _value(self, field_name: str) -> str:
        row = self.fields.get(field_name)
        return str(row.value or "").strip() if row is not None else ""

    def placeholder_values(self) -> tuple[dict[str, str], dict[str, str]]:
        """``(tags, button_tags)`` as they will be sent (trimmed; empty ones left out)."""
        tags = {n: v for n, row in self.tag_fields.items() if (v := self._value(row))}
        buttons = {n: v for n, row in self.button_fields.items() if (v := self._value(row))}
        return tags, buttons

    def _preview(self) -> Content:
        if not self.is_mounted:
            return template_preview(self.template, {}, {})
        tags, buttons = self.placeholder_values()
        return template_preview(self.template, tags, buttons, self._value("attachment"))

    def problems(self) -> dict[str, str]:
        """What stops a send right now, by field (silent: nothing is shown)."""
        found: dict[str, str] = {}
        if not tt.sendable(self.template):
            found["template"] = f"The template is {tt.status_of(self.template)}, not approved."
        for name, row in self.fields.items():
            message = row.first_problem()
            if message:
                found[name] = message
        return found

    @property
    def can_send(self) -> bool:
        """Every placeholder filled, the URL and phone valid, nothing in flight."""
        return not self.is_busy and not self.problems()

    def _update_send_state(self) -> None:
        problems = self.problems()
        button = self.query_one("#form-submit", Button)
        button.disabled = self.is_busy or bool(problems)
        readiness = self.query_one("#template-readiness", Static)
        if problems:
            rows = self.fields
            names = ", ".join(
                rows[name].label_text if name in rows else message
                for name, message in problems.items()
            )
            readiness.update(Content.assemble(("Still needed: ", "bold"), literal(names)))
        elif self.outcome_unknown:
            readiness.update("It may already have been sent: Enter asks before sending again.")
        else:
            readiness.update("Ready to send: Enter or Ctrl+S.")
        readiness.set_class(bool(problems) or self.outcome_unknown, "-needed")

    @on(Input.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    def _changed(self, event: Message) -> None:
        # Runs before the toolkit clears the field's stale error, so the live
        # check is queued to run after it.
        self.call_next(self._after_change, event.control)

    def _after_change(self, control: Widget | None) -> None:
        if not self.is_attached:
            return
        self.query_one("#template-preview", Static).update(self._preview())
        nodes = control.ancestors_with_self if control is not None else []
        row = next((n for n in nodes if isinstance(n, FormField)), None)
        # Shout about a bad value as soon as something is typed; an empty required
        # field only keeps Send disabled until the agent tries to send.
        if row is not None and isinstance(row.control, Input) and row.control.value.strip():
            error = row.validate()
            if row.field_name == "phone" and error is None:
                self._load_contact(row.control.value.strip())
        self._update_send_state()

    def validate_form(self) -> bool:
        """Field checks, plus: refuse a template WhatsApp has not approved."""
        ok = super().validate_form()
        if not tt.sendable(self.template):
            self.show_form_error(
                f"Only approved templates can be sent; this one is {tt.status_of(self.template)}."
            )
            return False
        return ok

    def busy_changed(self, busy: bool) -> None:
        self._update_send_state()

    # -- filling from the contact --------------------------------------------------

    def _target_row(self) -> FormField | None:
        """The placeholder field to fill: the focused one, else the first empty one."""
        focused = self.focused
        if focused is not None:
            for node in focused.ancestors_with_self:
                if isinstance(node, FormField) and node.control.has_class(PLACEHOLDER_CLASS):
                    return node
        for row in self.fields.values():
            if row.control.has_class(PLACEHOLDER_CLASS) and not str(row.value).strip():
                return row
        return None

    def _fill(self, row: FormField, value: str) -> None:
        control = row.control
        assert isinstance(control, Input)
        control.value = value
        control.cursor_position = len(value)
        control.focus()

    def action_fill_name(self) -> None:
        """Fill the focused (or first empty) placeholder with the contact's name."""
        row = self._target_row()
        if row is None:
            self.notify("No placeholder to fill.", severity="warning")
            return
        name = self.contact_values.get("Name")
        if not name:
            self.notify("The contact's name is not known.", severity="warning")
            return
        self._fill(row, name)

    def action_fill_from_contact(self) -> None:
        """Choose a contact value (name, phone, custom field) for the focused placeholder."""
        row = self._target_row()
        if row is None:
            self.notify("No placeholder to fill.", severity="warning")
            return
        if not self.contact_values:
            self.notify("Nothing is known about this contact yet.", severity="warning")
            return

        def chosen(value: str | None) -> None:
            if value is not None:
                self._fill(row, value)

        placeholder = self._placeholder_of(row)
        self.app.push_screen(
            ContactValuePicker(
                self.contact_values,
                row.label_text,
                suggested=tt.matching_value_label(placeholder, self.contact_values)
                if placeholder is not None
                else None,
            ),
            chosen,
        )

    def _placeholder_of(self, row: FormField) -> str | None:
        """The placeholder name a row fills (``"card_number"`` for ``tag_card_number``)."""
        for fields in (self.tag_fields, self.button_fields):
            for name, field_name in fields.items():
                if field_name == row.field_name:
                    return name
        return None
