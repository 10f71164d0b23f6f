"""Pure helpers for WhatsApp template messages: placeholders, preview, URL checks.

Kept free of Textual so that the rules the template form enforces ("every
placeholder filled", "the attachment URL looks like the right kind of file"),
the order of the picker and who a send goes to can be unit-tested on their own
and reused by any other front end.  The screens only turn these results into
styled ``Content``.

Placeholders come in the two spellings Sendbee knows: WhatsApp's numbered
``{{1}}`` and the named ``{name}`` of Sendbee's own documentation (filled with
``tags={"name": ...}``).  Which names a text has is decided by the client's
:func:`sendbee_tui.api.template_placeholders`, the one grammar the TUI, scripts
and checks share; this package only adds where each one sits in the text.

The rules live in one module per concern: :mod:`.placeholders` (which a text
has, their labels, which lack a value), :mod:`.filling` (the text the customer
receives, in styled runs), :mod:`.attachments` (media URL checks),
:mod:`.picker` (what can be sent, order, search) and :mod:`.recipient` (who a
send goes to, what of them fills a placeholder).  Import from this package.

Templates are typed structurally (:class:`TemplateLike`): anything with the
attributes of :class:`sendbee_tui.api.Template` works (the API models are
imported for annotations only).
"""

from sendbee_tui.tui.template_text.attachments import (
    ATTACHMENT_RULES,
    AttachmentRule,
    attachment_rule,
    check_attachment_url,
    check_url,
)
from sendbee_tui.tui.template_text.filling import (
    ButtonPreview,
    Segment,
    SegmentKind,
    button_previews,
    fill,
    fill_segments,
)
from sendbee_tui.tui.template_text.picker import (
    SortableTemplate,
    StatusLike,
    first_line,
    picker_sort_key,
    sendable,
    status_of,
    template_matches,
)
from sendbee_tui.tui.template_text.placeholders import (
    ButtonLike,
    TemplateLike,
    button_placeholders,
    button_titles,
    check_placeholder_value,
    is_named,
    missing_placeholders,
    normalise_placeholder,
    placeholder_title,
    placeholders_in,
    tag_label,
    text_placeholders,
)
from sendbee_tui.tui.template_text.recipient import (
    contact_values,
    matching_value_label,
    recipient_name,
    recipient_phone,
)

__all__ = [
    "ATTACHMENT_RULES",
    "AttachmentRule",
    "ButtonLike",
    "ButtonPreview",
    "Segment",
    "SegmentKind",
    "SortableTemplate",
    "StatusLike",
    "TemplateLike",
    "attachment_rule",
    "button_placeholders",
    "button_previews",
    "button_titles",
    "check_attachment_url",
    "check_placeholder_value",
    "check_url",
    "contact_values",
    "fill",
    "fill_segments",
    "first_line",
    "is_named",
    "matching_value_label",
    "missing_placeholders",
    "normalise_placeholder",
    "picker_sort_key",
    "placeholder_title",
    "placeholders_in",
    "recipient_name",
    "recipient_phone",
    "sendable",
    "status_of",
    "tag_label",
    "template_matches",
    "text_placeholders",
]
