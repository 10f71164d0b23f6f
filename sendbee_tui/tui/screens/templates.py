"""Start or continue a WhatsApp conversation with an approved template.

Two screens:

* :class:`TemplatePickerScreen` - every template of the account (all pages),
  searchable by keyword, name and text.  Approved ones can be sent; pending and
  rejected ones stay visible (with the rejection reason) so an agent understands
  why the template they expected cannot be used, instead of wondering where it went.
* :class:`TemplateFormScreen` - one input per ``{{n}}`` placeholder of the body
  and of the buttons' dynamic URLs, an attachment URL when the template has a
  media header, the prevent-bot-off switch and an optional agent, next to a live
  preview of the exact text the customer will get.  Built on the shared forms
  toolkit (:mod:`sendbee_tui.tui.widgets.form`), so Enter sends, Escape asks
  before throwing typing away and every error sits under its field.

A send is made exactly once (the client never retries a send; neither do we).
The recipient is a conversation's contact, a contact, or a new phone number
typed into the form.

Template text, names and rejection reasons are written by other people:
they are rendered only through :func:`~sendbee_tui.tui.safe_text.literal`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.css.scalar import Scalar
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    Switch,
)
from textual.widgets.option_list import Option

from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.safe_text import clean_model, literal
from sendbee_tui.tui.screens.teams import load_members, member_select_options
from sendbee_tui.tui.widgets.form import (
    FieldValidator,
    FormField,
    FormModal,
    describe_error,
    phone_number,
)
from sendbee_tui.tui.widgets.record_list import SearchInput, client_of

if TYPE_CHECKING:
    from sendbee_tui.api import SentMessage, Template

__all__ = [
    "WINDOW_NOTICE",
    "ContactValuePicker",
    "TemplateCommands",
    "TemplateFormScreen",
    "TemplatePickerScreen",
    "render_template_form_svg",
    "save_template_form_screenshot",
    "sendable",
    "template_preview",
]

log = logging.getLogger(__name__)

#: Shown in the form and after a send: a template does not open the 24-hour
#: customer care window, the customer's reply does.
WINDOW_NOTICE = (
    "The 24-hour window for free-form replies opens only when the customer replies."
)

_STATUS_ORDER = {"approved": 0, "pending": 1, "rejected": 2}
_STATUS_STYLE = {
    "approved": ("✓", "$text-success"),
    "pending": ("…", "$text-warning"),
    "rejected": ("✗", "$text-error"),
}
# Preview styles: typed values underlined, gaps loud; the characters stay exact.
_SEGMENT_STYLE = {
    "text": "",
    "value": "underline $text-success",
    "missing": "bold reverse $warning",
}
_BUTTON_SEGMENT_STYLE = {**_SEGMENT_STYLE, "text": "$text-muted"}
# A server that keeps saying "there is another page" must not hang the picker.
_MAX_PAGES = 100


def _tag_label(name: str) -> str:
    """``"1"`` -> ``"{{1}}"``: how placeholders are named to the agent."""
    return f"{{{{{name}}}}}"


def sendable(template: Any) -> bool:
    """Only approved templates can be sent (WhatsApp's rule, enforced by the API too)."""
    return (getattr(template, "status", None) or "").lower() == "approved"


def _status_of(template: Any) -> str:
    return (template.status or "unknown").lower()


def _sort_key(template: Any) -> tuple[int, str, str]:
    return (
        _STATUS_ORDER.get(_status_of(template), 3),
        (template.name or template.keyword or "").casefold(),
        template.language or "",
    )


def _first_line(text: str | None, width: int = 90) -> str:
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _recipient_phone(phone: str | None, contact: Any, conversation: Any) -> str | None:
    """The phone a send goes to: given, else the conversation's contact, else the contact."""
    if phone:
        return phone
    conv_contact = getattr(conversation, "contact", None)
    for source in (conv_contact, contact):
        value = getattr(source, "phone", None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _recipient_name(contact: Any, conversation: Any) -> str | None:
    for source in (getattr(conversation, "contact", None), contact):
        value = getattr(source, "name", None)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def template_preview(
    template: Any,
    values: dict[str, str],
    button_values: dict[str, str],
    attachment: str | None = None,
) -> Content:
    """The message as the customer will get it: body, attachment and buttons.

    Filled values are underlined and unfilled placeholders highlighted, but the
    characters are exactly those that will be sent.
    """
    parts: list[Content] = []
    rule = tt.attachment_rule(template.attachment)
    if rule is not None:
        url = (attachment or "").strip()
        parts.append(
            Content.assemble(
                (f"[{rule.kind}] ", "bold $text-accent"),
                literal(url, "underline") if url else Content.styled("(no URL yet)", "$warning"),
                "\n\n",
            )
        )
    for segment in tt.fill_segments(template.text, values):
        parts.append(literal(segment.text, _SEGMENT_STYLE[segment.kind]))
    previews = tt.button_previews(template, button_values)
    if previews:
        parts.append(Content("\n"))
    for button in previews:
        line: list[Content | str] = ["\n", Content.styled("[ ", "$text-muted")]
        line.append(literal(button.title or "button", "bold"))
        line.append(Content.styled(" ]", "$text-muted"))
        if button.value:
            line.append(" → ")
            for segment in tt.fill_segments(button.value, button_values):
                line.append(literal(segment.text, _BUTTON_SEGMENT_STYLE[segment.kind]))
        parts.append(Content.assemble(*line))
    return Content.assemble(*parts)


def _template_heading(template: Any) -> Content:
    status = _status_of(template)
    icon, style = _STATUS_STYLE.get(status, ("?", "$text-muted"))
    parts: list[Content | str] = [
        Content.styled(f"{icon} ", style),
        literal(template.name or template.keyword or "(unnamed)", "bold"),
        "  ",
        literal(f"[{template.language or '?'}]", "$text-accent"),
        "  ",
        literal(template.keyword or "", "$text-muted"),
    ]
    return Content.assemble(*parts)


def _template_option_prompt(template: Any) -> Content:
    """Two lines per template: heading, then status-specific detail."""
    status = _status_of(template)
    if status == "approved":
        detail = literal(_first_line(template.text), "$text-muted")
    elif status == "rejected":
        detail = Content.assemble(
            Content.styled("rejected: ", "$text-error"),
            literal(_first_line(template.rejected_reason or "no reason given"), "$text-error"),
        )
    else:
        detail = Content.styled(f"{status}: waiting for WhatsApp approval", "$text-warning")
    return Content.assemble(_template_heading(template), "\n  ", detail)


def _template_detail(template: Any) -> Content:
    """Everything about one template for the picker's side pane."""
    status = _status_of(template)
    lines: list[Content | str] = [_template_heading(template), "\n"]
    meta = [f"status: {status}"]
    if template.category:
        meta.append(f"category: {template.category}")
    if template.attachment:
        rule = tt.attachment_rule(template.attachment)
        meta.append(f"attachment: {rule.description if rule else template.attachment}")
    lines.append(literal(" · ".join(meta), "$text-muted"))
    if status == "rejected":
        lines += [
            "\n\n",
            Content.styled("Rejected by WhatsApp: ", "bold $text-error"),
            literal(template.rejected_reason or "no reason given", "$text-error"),
        ]
    elif status != "approved":
        lines += [
            "\n\n",
            Content.styled("Not sendable until WhatsApp approves it.", "$text-warning"),
        ]
    lines += ["\n\n", template_preview(template, {}, {})]
    placeholders = [_tag_label(n) for n in tt.text_placeholders(template)]
    placeholders += [f"button {_tag_label(n)}" for n in tt.button_placeholders(template)]
    if placeholders:
        lines += ["\n\n", literal("Placeholders: " + ", ".join(placeholders), "$text-muted")]
    return Content.assemble(*lines)


# --------------------------------------------------------------------------- picker


class TemplatePickerScreen(Screen["SentMessage | None"]):
    """Choose a template to send; dismisses with the :class:`SentMessage` (or ``None``).

    Args:
        phone: Recipient phone (E.164). ``None`` with no contact/conversation means
            "a new number": the form then asks for it.
        contact: A contact (its phone and data fill the form).
        conversation: A conversation (its contact is the recipient).
        client: The API client; defaults to ``app.client``.
    """

    TITLE = "Send a template"

    #: Templates per request (the API's maximum); every page is fetched.
    page_size: ClassVar[int] = 100

    BINDINGS = [
        Binding("escape", "back", "Back", id="templates.back"),
        Binding("slash", "focus_search", "Search", key_display="/", id="templates.search"),
        Binding("ctrl+r", "reload", "Reload", id="templates.reload"),
    ]

    DEFAULT_CSS = """
    TemplatePickerScreen #picker-to { height: 1; padding: 0 1; }
    TemplatePickerScreen #template-search { margin: 0 1; }
    TemplatePickerScreen #picker-body { height: 1fr; }
    TemplatePickerScreen #template-list { width: 3fr; height: 1fr; }
    TemplatePickerScreen #template-detail {
        width: 2fr; height: 1fr; padding: 0 1; border-left: solid $primary 50%;
    }
    TemplatePickerScreen #picker-status { height: 1; padding: 0 1; color: $text-muted; }
    TemplatePickerScreen #picker-status.-error { color: $text-error; }
    """

    def __init__(
        self,
        phone: str | None = None,
        contact: Any = None,
        conversation: Any = None,
        *,
        client: Any = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self._client = client
        self.contact = contact
        self.conversation = conversation
        self.phone = _recipient_phone(phone, contact, conversation)
        self.recipient_name = _recipient_name(contact, conversation)
        self.templates: list[Any] = []
        self.shown: list[Any] = []
        self.loaded = False

    @property
    def client(self) -> Any:
        """The API client: the one given, else the app's."""
        return client_of(self, self._client)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._recipient_line(), id="picker-to")
        yield SearchInput(
            placeholder="Search keyword, name or text…  (↑↓ choose, Enter open)",
            id="template-search",
            target="#template-list",
        )
        with Horizontal(id="picker-body"):
            yield OptionList(id="template-list")
            with VerticalScroll(id="template-detail"):
                yield Static("", id="template-detail-text")
        yield Static("Loading templates…", id="picker-status")
        yield Footer()

    def _recipient_line(self) -> Content:
        if not self.phone:
            return Content.assemble(
                Content.styled("To: ", "bold"),
                Content.styled("a new phone number (you will enter it in the form)", "italic"),
            )
        parts: list[Content | str] = [Content.styled("To: ", "bold")]
        if self.recipient_name:
            parts += [literal(self.recipient_name, "bold"), "  "]
        parts.append(literal(self.phone))
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        self.query_one("#template-search", Input).focus()
        self._load()

    # -- loading -----------------------------------------------------------------

    def action_reload(self) -> None:
        """Fetch the templates again (they get approved or rejected over time)."""
        self._set_status("Loading templates…")
        self._load()

    @work(exclusive=True, group="templates-load")
    async def _load(self) -> None:
        try:
            page = await self.client.templates.list(limit=self.page_size)
            templates = [clean_model(t) for t in page.items]
            pages = 1
            while page.has_next() and pages < _MAX_PAGES:
                self.templates = sorted(templates, key=_sort_key)
                self._apply_filter()
                total = page.meta.total if page.meta else None
                self._set_status(f"Loading templates… {len(templates)} of {total or '?'}")
                page = await page.next_page()
                templates.extend(clean_model(t) for t in page.items)
                pages += 1
        except Exception as exc:
            log.info("loading templates failed: %r", exc)
            self._set_status(
                f"Could not load templates: {describe_error(exc)} (Ctrl+R to retry)", error=True
            )
            return
        self.templates = sorted(templates, key=_sort_key)
        self.loaded = True
        self._apply_filter()

    # -- filtering ---------------------------------------------------------------

    @on(Input.Changed, "#template-search")
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._apply_filter()

    @on(Input.Submitted, "#template-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        """Enter in the box opens the highlighted match (filtering is instant here)."""
        event.stop()
        template = self._highlighted_template()
        if template is not None:
            self.open_template(template)

    def _apply_filter(self) -> None:
        query = self.query_one("#template-search", Input).value
        option_list = self.query_one("#template-list", OptionList)
        previous = option_list.highlighted_option
        previous_id = previous.id if previous is not None else None
        self.shown = [t for t in self.templates if tt.template_matches(t, query)]
        options = [
            Option(_template_option_prompt(t), id=f"t{index}")
            for index, t in enumerate(self.shown)
        ]
        option_list.set_options(options)
        if self.shown:
            ids = [o.id for o in options]
            option_list.highlighted = ids.index(previous_id) if previous_id in ids else 0
        self._show_detail(self._highlighted_template())
        counts: dict[str, int] = {}
        for t in self.templates:
            counts[_status_of(t)] = counts.get(_status_of(t), 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        if self.loaded:
            shown = f"{len(self.shown)} of {len(self.templates)} templates"
            self._set_status(f"{shown} ({summary or 'none'}) · Enter: fill in and send")

    def _highlighted_template(self) -> Any | None:
        index = self.query_one("#template-list", OptionList).highlighted
        if index is None or not (0 <= index < len(self.shown)):
            return None
        return self.shown[index]

    def _show_detail(self, template: Any | None) -> None:
        detail = self.query_one("#template-detail-text", Static)
        detail.update(_template_detail(template) if template is not None else "")

    @on(OptionList.OptionHighlighted, "#template-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_detail(self._highlighted_template())

    @on(OptionList.OptionSelected, "#template-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        template = self._highlighted_template()
        if template is not None:
            self.open_template(template)

    # -- actions -----------------------------------------------------------------

    def open_template(self, template: Any) -> bool:
        """Open the form for ``template``; refuse (with the reason) if it is not approved."""
        if not sendable(template):
            status = _status_of(template)
            reason = (
                f"rejected by WhatsApp: {template.rejected_reason or 'no reason given'}"
                if status == "rejected"
                else f"{status}: it can be sent once WhatsApp approves it"
            )
            self.notify(
                f"This template cannot be sent ({reason}).",
                severity="warning",
                markup=False,
            )
            return False

        def sent(result: SentMessage | None) -> None:
            if result is not None:
                self.dismiss(result)

        self.app.push_screen(
            TemplateFormScreen(
                template,
                phone=self.phone,
                contact=self.contact,
                conversation=self.conversation,
                client=self._client,
            ),
            sent,
        )
        return True

    def action_focus_search(self) -> None:
        self.query_one("#template-search", Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#picker-status", Static)
        status.update(literal(text))
        status.set_class(error, "-error")


# --------------------------------------------------------------------------- fill from contact


class ContactValuePicker(ModalScreen["str | None"]):
    """Choose one of the contact's values (name, phone, custom fields) to fill a placeholder."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="template_value.cancel")]

    DEFAULT_CSS = """
    ContactValuePicker { align: center middle; }
    ContactValuePicker #contact-values-dialog {
        width: 60; height: auto; max-height: 80%;
        border: thick $primary 80%; background: $surface; padding: 0 1;
    }
    ContactValuePicker OptionList { height: auto; max-height: 16; }
    """

    def __init__(self, values: dict[str, str], target: str) -> None:
        super().__init__()
        self._values = list(values.items())
        self._target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="contact-values-dialog"):
            yield Label(literal(f"Fill {self._target} with…"), classes="dialog-title")
            yield OptionList(
                *(
                    Option(Content.assemble(literal(label, "bold"), ": ", literal(value)))
                    for label, value in self._values
                ),
                id="contact-values",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._values[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


# --------------------------------------------------------------------------- form


def _placeholder_check(value: Any) -> str | None:
    return tt.check_placeholder_value(str(value or "").strip()) if value else None


class TemplateFormScreen(FormModal["SentMessage"]):
    """Fill in and send one approved template; dismisses with the :class:`SentMessage`.

    Fields are named ``phone`` (new numbers only), ``tag_<n>`` (body placeholders),
    ``button_<n>`` (button URL placeholders), ``attachment``, ``prevent_bot_off``
    and ``agent_id``.
    """

    submit_label = "Send"
    discard_message = "Discard this template message?"

    BINDINGS = [
        Binding("ctrl+s", "submit", "Send", id="form.submit"),
        Binding("ctrl+n", "fill_name", "Fill name", id="template.fill_name"),
        Binding("ctrl+f", "fill_from_contact", "Fill from contact", id="template.fill_contact"),
    ]

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
        template: Template,
        *,
        phone: str | None = None,
        contact: Any = None,
        conversation: Any = None,
        client: Any = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id)
        self.template = template
        self._client = client
        self.contact = contact
        self.conversation = conversation
        self.phone = _recipient_phone(phone, contact, conversation)
        self.recipient_name = _recipient_name(contact, conversation)
        self.tag_names = tt.text_placeholders(template)
        self.button_names = tt.button_placeholders(template)
        self.attachment_rule = tt.attachment_rule(template.attachment)
        self.members: list[Any] = []
        self.result: SentMessage | None = None
        title = template.name or template.keyword
        self.form_title = f"Send template “{title}” ({template.language})"
        # Values of the contact offered by "fill from contact", refined once loaded.
        self.contact_values: dict[str, str] = tt.contact_values(
            getattr(conversation, "contact", None) or contact
        )
        if contact is not None:
            self.contact_values.update(tt.contact_values(contact))

    @property
    def client(self) -> Any:
        """The API client: the one given, else the app's."""
        return client_of(self, self._client)

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
            status = Static("", id="form-status")
            status.display = False
            yield status
            with Horizontal(id="form-buttons", classes="dialog-buttons"):
                yield Button(literal(self.submit_label), id="form-submit", variant="primary")
                yield Button("Cancel", id="form-cancel")
        yield Footer()

    def compose_form(self) -> ComposeResult:
        if self.phone:
            to = [Content.styled("To: ", "bold")]
            if self.recipient_name:
                to += [literal(self.recipient_name, "bold"), Content("  ")]
            to.append(literal(self.phone))
            yield Static(Content.assemble(*to), classes="form-readonly", id="template-to")
        else:
            yield FormField(
                "phone",
                "Phone number",
                Input(placeholder="+385911234567"),
                required=True,
                validators=[phone_number],
                help="International format: + country code and number.",
                aliases=("phone number", "recipient"),
            )
        for n in self.tag_names:
            yield FormField(
                f"tag_{n}",
                f"Body {_tag_label(n)}",
                Input(placeholder=f"Value for {_tag_label(n)}", classes="placeholder-input"),
                required=True,
                validators=[_placeholder_check],
                aliases=(_tag_label(n), f"tags.{n}", f"tag {n}"),
            )
        for n in self.button_names:
            titles = self._button_titles(n)
            yield FormField(
                f"button_{n}",
                f"Button {_tag_label(n)}",
                Input(placeholder=f"Value for button {_tag_label(n)}", classes="placeholder-input"),
                required=True,
                validators=[_placeholder_check],
                help=f"Fills the link of {titles}." if titles else None,
                aliases=(f"button_tags.{n}", f"button tag {n}"),
            )
        if self.attachment_rule is not None:
            rule = self.attachment_rule
            kind = self.template.attachment
            check: FieldValidator = lambda value: (  # noqa: E731
                tt.check_attachment_url(str(value), kind) if value else None
            )
            yield FormField(
                "attachment",
                f"{rule.kind.capitalize()} URL",
                Input(placeholder=f"https://example.com/file.{rule.extensions[0]}"),
                required=True,
                validators=[check],
                help=f"{rule.description[:1].upper()}{rule.description[1:]}, an http(s) link.",
                aliases=("attachment", "media", "url"),
            )
        yield FormField(
            "prevent_bot_off",
            "Keep chatbot on",
            Switch(value=False),
            help="Off: sending turns the conversation's chatbot off.",
        )
        yield FormField(
            "agent_id",
            "Send as agent",
            Select([], prompt="Nobody in particular", allow_blank=True),
            help="Optional: the team member the message is attributed to.",
            aliases=("agent", "agent_id", "member"),
        )

    def _button_titles(self, n: str) -> str:
        titles = [
            button.title
            for button in self.template.buttons
            if button.title and n in tt.placeholders_in(button.value)
        ]
        return ", ".join(f"“{title}”" for title in titles)

    def on_mount(self) -> None:
        super().on_mount()
        first = next(iter(self.fields.values()), None)
        if first is not None:
            first.control.focus()
        self._update_send_state()
        self._load_members()
        if self.phone and not getattr(self.contact, "contact_fields", None):
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
        except NoMatches:
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
        for pane_id in ("#form-body", "#template-preview-pane"):
            pane = self.query_one(pane_id)
            if pane.styles.max_height != Scalar.from_number(available):
                pane.styles.max_height = available

    # -- background loads ----------------------------------------------------------

    @work(group="template-members", exit_on_error=False)
    async def _load_members(self) -> None:
        try:
            self.members = await load_members(self.client)
        except Exception as exc:
            log.info("loading members failed: %r", exc)
            self.fields["agent_id"].query_one(".form-help", Static).update(
                literal("Could not load the team members; the send is not attributed.")
            )
            return
        select: Select[str] = self.fields["agent_id"].control  # type: ignore[assignment]
        select.set_options(member_select_options(self.members))

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
        tags = {n: v for n in self.tag_names if (v := self._value(f"tag_{n}"))}
        buttons = {n: v for n in self.button_names if (v := self._value(f"button_{n}"))}
        return tags, buttons

    def _preview(self) -> Content:
        if not self.is_mounted:
            return template_preview(self.template, {}, {})
        tags, buttons = self.placeholder_values()
        return template_preview(self.template, tags, buttons, self._value("attachment"))

    def problems(self) -> dict[str, str]:
        """What stops a send right now, by field (silent: nothing is shown)."""
        found: dict[str, str] = {}
        if not sendable(self.template):
            found["template"] = f"The template is {_status_of(self.template)}, not approved."
        for name, row in self.fields.items():
            for check in row.validators:
                message = check(row.value)
                if message:
                    found[name] = message
                    break
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
        else:
            readiness.update("Ready to send: Enter or Ctrl+S.")
        readiness.set_class(bool(problems), "-needed")

    @on(Input.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        # Runs before the toolkit clears the field's stale error, so the live
        # check is queued to run after it.
        control = getattr(event, "control", None)
        self.call_next(self._after_change, control)

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
        if not sendable(self.template):
            self.show_form_error(
                f"Only approved templates can be sent; this one is {_status_of(self.template)}."
            )
            return False
        return ok

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        if self.is_attached:
            self._update_send_state()

    # -- filling from the contact --------------------------------------------------

    def _target_row(self) -> FormField | None:
        """The placeholder field to fill: the focused one, else the first empty one."""
        focused = self.focused
        if focused is not None:
            for node in focused.ancestors_with_self:
                if isinstance(node, FormField) and node.control.has_class("placeholder-input"):
                    return node
        for row in self.fields.values():
            if row.control.has_class("placeholder-input") and not str(row.value).strip():
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

        self.app.push_screen(ContactValuePicker(self.contact_values, row.label_text), chosen)

    # -- sending -------------------------------------------------------------------

    def action_submit(self) -> None:
        """Validate and send once; while a send is in flight further presses are ignored."""
        super().action_submit()
        self._update_send_state()

    def action_cancel(self) -> None:
        """Close (asking first if something was typed); not while a send is in flight.

        Closing mid-send would cancel the worker but not the request: the message
        may well arrive, and the agent would never see the answer.
        """
        if self.is_busy:
            self.notify("Sending… wait for Sendbee's answer.", severity="warning")
            return
        super().action_cancel()

    async def submit_form(self, values: dict[str, Any]) -> SentMessage:
        tags, button_tags = self.placeholder_values()
        phone = self.phone or str(values.get("phone") or "").strip()
        attachment = str(values.get("attachment") or "").strip() or None
        return await self.client.messages.send_template(  # type: ignore[no-any-return]
            phone=phone,
            keyword=self.template.keyword,
            language=self.template.language,
            tags=tags or None,
            button_tags=button_tags or None,
            attachment=attachment,
            prevent_bot_off=bool(values.get("prevent_bot_off")),
            agent_id=values.get("agent_id") or None,
        )

    async def on_form_saved(self, result: SentMessage) -> None:
        self.result = result
        conversation_id = result.conversation_id
        answer = f"Sent: conversation {conversation_id or '?'}, status {result.status or '?'}."
        self.show_form_info(answer)
        self.app.notify(f"Template sent. {answer}\n{WINDOW_NOTICE}", markup=False, timeout=8)
        refresh = getattr(getattr(self.app, "inbox", None), "refresh_conversation", None)
        if conversation_id and callable(refresh):
            # An app-level worker: it must outlive this dialog, which closes now.
            self.app.run_worker(
                _refresh_quietly(refresh, conversation_id),
                group="template-sent-refresh",
                exit_on_error=False,
            )
        self.dismiss(result)


async def _refresh_quietly(refresh: Callable[[str], Any], conversation_id: str) -> None:
    """Ask the inbox to re-read the conversation so the thread shows the template."""
    try:
        await refresh(conversation_id)
    except Exception as exc:  # the send worked; a failed refresh is only cosmetic
        log.info("refreshing conversation after template send failed: %r", exc)


# --------------------------------------------------------------------------- palette


class TemplateCommands(Provider):
    """Command palette: "Send template…" (to the open conversation, or a new number).

    The recipient is the inbox's current conversation when there is one
    (``app.inbox.current_conversation``), else a new phone number.
    """

    _COMMANDS = (
        ("Send template…", "Send an approved WhatsApp template to this conversation"),
        ("Send template to a new number…", "Start a conversation with an approved template"),
    )

    def _open(self, new_number: bool) -> Callable[[], None]:
        def run() -> None:
            conversation = None
            if not new_number:
                inbox = getattr(self.app, "inbox", None)
                conversation = getattr(inbox, "current_conversation", None)
            self.app.push_screen(TemplatePickerScreen(conversation=conversation))

        return run

    def _entries(self) -> Iterable[tuple[str, str, Callable[[], None]]]:
        for index, (text, help_text) in enumerate(self._COMMANDS):
            yield text, help_text, self._open(new_number=index == 1)

    async def discover(self) -> Hits:
        for text, help_text, callback in self._entries():
            yield DiscoveryHit(text, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, callback in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), callback, help=help_text)


# --------------------------------------------------------------------------- screenshots


class _FormShowcase(App[None]):
    """A bare app showing the template form, for the README screenshot."""

    def __init__(self, client_factory: Callable[[], Any], keyword: str | None) -> None:
        super().__init__()
        self._client_factory = client_factory
        self._keyword = keyword
        self.client: Any = None

    async def on_mount(self) -> None:
        self.client = self._client_factory()


async def render_template_form_svg(
    client_factory: Callable[[], Any],
    *,
    keyword: str | None = None,
    phone: str = "+385911234567",
    contact_name: str = "Ana Horvat",
    size: tuple[int, int] = (120, 36),
    fill: dict[str, str] | None = None,
) -> str:
    """Render the template form filled in with demo values and return the SVG.

    ``client_factory`` builds a SendbeeClient inside the app's event loop (the
    client's connection pool belongs to that loop).  The first approved template
    with placeholders, buttons and an attachment is shown unless ``keyword`` is given.
    """
    from types import SimpleNamespace

    app = _FormShowcase(client_factory, keyword)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        templates = [
            t
            async for t in app.client.templates.iterate()  # all pages
            if sendable(t)
        ]
        chosen = _showcase_template(templates, keyword)
        contact = SimpleNamespace(name=contact_name, phone=phone, contact_fields=())
        form = TemplateFormScreen(clean_model(chosen), phone=phone, contact=contact)
        await app.push_screen(form)
        await pilot.pause()
        await app.workers.wait_for_complete()
        for field_input in form.query(Input):
            field_input.cursor_blink = False
        demo = fill or {}
        for name, row in form.fields.items():
            if isinstance(row.control, Input):
                row.control.value = demo.get(name, _demo_value(name, chosen, contact_name))
        await pilot.pause()
        form.query_one("#form-submit", Button).focus()
        await pilot.pause()
        svg = app.export_screenshot(title="sendbee-tui: send a template")
        await app.client.aclose()
    return svg


def _showcase_template(templates: list[Any], keyword: str | None) -> Any:
    if keyword:
        for template in templates:
            if template.keyword == keyword:
                return template
        raise LookupError(f"no approved template with keyword {keyword!r}")

    def richness(t: Any) -> tuple[bool, bool, bool, int]:
        return (
            bool(tt.attachment_rule(t.attachment)),
            bool(tt.button_placeholders(t)),
            bool(tt.text_placeholders(t)),
            len(tt.text_placeholders(t)),
        )

    if not templates:
        raise LookupError("no approved templates")
    return max(templates, key=richness)


def _demo_value(field_name: str, template: Any, contact_name: str) -> str:
    if field_name == "tag_1":
        return contact_name.split()[0]
    if field_name.startswith("tag_"):
        return f"#{1040 + int(field_name[4:]) if field_name[4:].isdigit() else 1}"
    if field_name.startswith("button_"):
        return "A1B2C3"
    if field_name == "attachment":
        rule = tt.attachment_rule(template.attachment)
        ext = rule.extensions[0] if rule else "jpg"
        return f"https://cdn.example.com/demo/offer.{ext}"
    return ""


def save_template_form_screenshot(
    path: str,
    *,
    base_url: str,
    api_key: str,
    api_secret: str,
    keyword: str | None = None,
    size: tuple[int, int] = (120, 36),
) -> str:
    """Write ``screenshots/template_form.svg`` (or ``path``) from a running server.

    Point it at a sandbox: ``save_template_form_screenshot("screenshots/template_form.svg",
    base_url=server.base_url, api_key=server.api_key, api_secret=server.api_secret)``.
    Returns the path written.
    """
    import asyncio
    from pathlib import Path

    from sendbee_tui.api import SendbeeClient

    def factory() -> Any:
        return SendbeeClient(api_key, api_secret, base_url=base_url)

    svg = asyncio.run(render_template_form_svg(factory, keyword=keyword, size=size))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(svg, encoding="utf-8")
    return str(target)
