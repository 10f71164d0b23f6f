"""Templates as styled text: the form's live preview and the picker's rows and detail.

The rules (which placeholders, what is filled, which status) come from the pure
:mod:`sendbee_tui.tui.template_text`; this module only styles them.  Template
text, names and rejection reasons are written by other people, so every piece
of them goes through :func:`~sendbee_tui.tui.safe_text.literal` (never markup).
"""

from __future__ import annotations

from textual.content import Content

from sendbee_tui.api.models import Template
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.safe_text import literal

__all__ = [
    "WINDOW_NOTICE",
    "template_detail",
    "template_heading",
    "template_option_prompt",
    "template_preview",
]

#: Shown in the form and after a send: a template does not open the 24-hour
#: customer care window, the customer's reply does.
WINDOW_NOTICE = "The 24-hour window for free-form replies opens only when the customer replies."

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


def template_preview(
    template: tt.TemplateLike,
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


def template_heading(template: Template) -> Content:
    """Status icon, name, language and keyword on one line."""
    status = tt.status_of(template)
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


def template_option_prompt(template: Template) -> Content:
    """Two lines per template in the picker: heading, then status-specific detail."""
    status = tt.status_of(template)
    if status == "approved":
        detail = literal(tt.first_line(template.text), "$text-muted")
    elif status == "rejected":
        detail = Content.assemble(
            Content.styled("rejected: ", "$text-error"),
            literal(tt.first_line(template.rejected_reason or "no reason given"), "$text-error"),
        )
    else:
        detail = Content.styled(f"{status}: waiting for WhatsApp approval", "$text-warning")
    return Content.assemble(template_heading(template), "\n  ", detail)


def template_detail(template: Template) -> Content:
    """Everything about one template for the picker's side pane."""
    status = tt.status_of(template)
    lines: list[Content | str] = [template_heading(template), "\n"]
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
    placeholders = [tt.tag_label(n) for n in tt.text_placeholders(template)]
    placeholders += [f"button {tt.tag_label(n)}" for n in tt.button_placeholders(template)]
    if placeholders:
        lines += ["\n\n", literal("Placeholders: " + ", ".join(placeholders), "$text-muted")]
    return Content.assemble(*lines)
