"""The rows of the template form, one per value a send needs.

Named ``phone`` (new numbers only), ``tag_<name>`` (body placeholders),
``button_<name>`` (button URL placeholders), ``attachment`` (media header),
``prevent_bot_off`` and ``agent_id``, where ``<name>`` is the placeholder's
number (``{{1}}``) or name (``{card_number}``).  Numbered placeholders are
labelled as written (``Body {{1}}``), named ones by their name in words
("Card number").  Built here, apart from the form's behaviour, so the form
module stays about sending.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Select, Static, Switch

from sendbee_tui.api.models import Template
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.forms import FieldValidator, FormField, phone_number
from sendbee_tui.tui.safe_text import literal

__all__ = ["PLACEHOLDER_CLASS", "button_field", "tag_field", "template_rows"]

#: Class of the inputs "fill name" / "fill from contact" may fill.
PLACEHOLDER_CLASS = "placeholder-input"

# What a widget id may hold; a declared tag the server spells oddly gets a
# numbered field name instead of crashing the form.
_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _field_name(prefix: str, name: str, index: int) -> str:
    return f"{prefix}_{name}" if _SAFE_NAME.fullmatch(name) else f"{prefix}_{index}x"


def tag_field(template: Template) -> dict[str, str]:
    """Body placeholder -> the name of its form field (``"1"`` -> ``"tag_1"``)."""
    names = tt.text_placeholders(template)
    return {n: _field_name("tag", n, i) for i, n in enumerate(names)}


def button_field(template: Template) -> dict[str, str]:
    """Button placeholder -> the name of its form field (``"booking"`` -> ``"button_booking"``)."""
    names = tt.button_placeholders(template)
    return {n: _field_name("button", n, i) for i, n in enumerate(names)}


def _placeholder_check(value: object) -> str | None:
    return tt.check_placeholder_value(str(value or "").strip()) if value else None


def _attachment_check(kind: str | None) -> FieldValidator:
    def check(value: object) -> str | None:
        return tt.check_attachment_url(str(value), kind) if value else None

    return check


def _recipient(phone: str, name: str | None) -> Static:
    to = [Content.styled("To: ", "bold")]
    if name:
        to += [literal(name, "bold"), Content("  ")]
    to.append(literal(phone))
    return Static(Content.assemble(*to), classes="form-readonly", id="template-to")


def template_rows(
    template: Template, phone: str | None, recipient_name: str | None
) -> Iterator[Widget]:
    """The form's widgets in Tab order: recipient, placeholders, attachment, options."""
    if phone:
        yield _recipient(phone, recipient_name)
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
    for n, field_name in tag_field(template).items():
        label = tt.tag_label(n)
        yield FormField(
            field_name,
            tt.placeholder_title(n) if tt.is_named(n) else f"Body {label}",
            Input(placeholder=f"Value for {label}", classes=PLACEHOLDER_CLASS),
            required=True,
            validators=[_placeholder_check],
            aliases=(label, f"tags.{n}", f"tag {n}"),
        )
    for n, field_name in button_field(template).items():
        label = tt.tag_label(n)
        titles = tt.button_titles(template, n)
        yield FormField(
            field_name,
            f"{tt.placeholder_title(n)} (link)" if tt.is_named(n) else f"Button {label}",
            Input(placeholder=f"Value for button {label}", classes=PLACEHOLDER_CLASS),
            required=True,
            validators=[_placeholder_check],
            help=f"Fills the link of {titles}." if titles else None,
            aliases=(f"button_tags.{n}", f"button tag {n}"),
        )
    rule = tt.attachment_rule(template.attachment)
    if rule is not None:
        yield FormField(
            "attachment",
            f"{rule.kind.capitalize()} URL",
            Input(placeholder=f"https://example.com/file.{rule.extensions[0]}"),
            required=True,
            validators=[_attachment_check(template.attachment)],
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
        Select[str]([], prompt="Nobody in particular", allow_blank=True),
        help="Optional: the team member the message is attributed to.",
        aliases=("agent", "agent_id", "member"),
    )
