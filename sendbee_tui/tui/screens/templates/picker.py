"""Choose a WhatsApp template to start or continue a conversation with.

Every template of the account is listed (all pages), searchable by keyword,
name and text.  Approved ones can be sent; pending and rejected ones stay
visible (with the rejection reason) so an agent understands why the template
they expected cannot be used, instead of wondering where it went.  Enter opens
:class:`~sendbee_tui.tui.screens.templates.form.TemplateFormScreen`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Contact, Conversation, SentMessage, Template
from sendbee_tui.tui import keys
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.errors import describe_error
from sendbee_tui.tui.safe_text import clean_model, literal
from sendbee_tui.tui.screens.templates.form import TemplateFormScreen
from sendbee_tui.tui.screens.templates.preview import template_detail, template_option_prompt
from sendbee_tui.tui.widgets.record_list import SearchInput

__all__ = ["TemplatePickerScreen"]

log = logging.getLogger(__name__)

# A server that keeps saying "there is another page" must not hang the picker.
_MAX_PAGES = 100


class TemplatePickerScreen(Screen["SentMessage | None"]):
    """Choose a template to send; dismisses with the :class:`SentMessage` (or ``None``).

    Args:
        client: The API client the templates are read and sent with.
        phone: Recipient phone (E.164). ``None`` with no contact/conversation means
            "a new number": the form then asks for it.
        contact: A contact (its phone and data fill the form).
        conversation: A conversation (its contact is the recipient).
        on_sent: Called with what Sendbee answered once a template was sent (the
            app refreshes that conversation in the inbox).
        agent_id: The team member the form's "Send as agent" starts from (the
            inbox passes the composer's Ctrl+G choice).
    """

    TITLE = "Send a template"

    #: Templates per request (the API's maximum); every page is fetched.
    page_size: ClassVar[int] = 100

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(
        "templates",
        "records",
        # An OptionList: Home/End move its highlight (a DataTable's are Ctrl+Home/End).
        actions={
            "records.top": "app.simulate_key('home')",
            "records.bottom": "app.simulate_key('end')",
        },
    )

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
        client: SendbeeClient,
        *,
        phone: str | None = None,
        contact: Contact | None = None,
        conversation: Conversation | None = None,
        on_sent: Callable[[SentMessage], None] | None = None,
        agent_id: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self.client = client
        self.agent_id = agent_id
        self.contact = contact
        self.conversation = conversation
        self.on_sent = on_sent
        self.phone = tt.recipient_phone(phone, contact, conversation)
        self.recipient_name = tt.recipient_name(contact, conversation)
        self.templates: list[Template] = []
        self.shown: list[Template] = []
        self.loaded = False

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
                self.templates = sorted(templates, key=tt.picker_sort_key)
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
        self.templates = sorted(templates, key=tt.picker_sort_key)
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
            Option(template_option_prompt(t), id=f"t{index}") for index, t in enumerate(self.shown)
        ]
        option_list.set_options(options)
        if self.shown:
            ids = [o.id for o in options]
            option_list.highlighted = ids.index(previous_id) if previous_id in ids else 0
        self._show_detail(self._highlighted_template())
        counts: dict[str, int] = {}
        for t in self.templates:
            counts[tt.status_of(t)] = counts.get(tt.status_of(t), 0) + 1
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        if self.loaded:
            shown = f"{len(self.shown)} of {len(self.templates)} templates"
            self._set_status(f"{shown} ({summary or 'none'}) · Enter: fill in and send")

    def _highlighted_template(self) -> Template | None:
        index = self.query_one("#template-list", OptionList).highlighted
        if index is None or not (0 <= index < len(self.shown)):
            return None
        return self.shown[index]

    def _show_detail(self, template: Template | None) -> None:
        detail = self.query_one("#template-detail-text", Static)
        detail.update(template_detail(template) if template is not None else "")

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

    def open_template(self, template: Template) -> bool:
        """Open the form for ``template``; refuse (with the reason) if it is not approved."""
        if not tt.sendable(template):
            status = tt.status_of(template)
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
                self.client,
                template,
                phone=self.phone,
                contact=self.contact,
                conversation=self.conversation,
                on_sent=self.on_sent,
                agent_id=self.agent_id,
            ),
            sent,
        )
        return True

    def action_focus_search(self) -> None:
        """Back to the search box."""
        self.query_one("#template-search", Input).focus()

    def action_back(self) -> None:
        """Close without sending."""
        self.dismiss(None)

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#picker-status", Static)
        status.update(literal(text))
        status.set_class(error, "-error")
