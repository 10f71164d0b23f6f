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
and checks share; this module only adds where each one sits in the text.

Templates are typed structurally (:class:`TemplateLike`): anything with the
attributes of :class:`sendbee_tui.api.Template` works (the API models are
imported for annotations only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import urlsplit

from sendbee_tui.api.template_placeholders import template_placeholders

if TYPE_CHECKING:
    from sendbee_tui.api.models import Contact, Conversation

__all__ = [
    "ATTACHMENT_RULES",
    "AttachmentRule",
    "ButtonPreview",
    "Segment",
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

# Text that may be a placeholder: anything in double or single braces without
# braces inside.  Whether it *is* one (and its name) is up to
# ``template_placeholders``, so the preview can never disagree with the list of
# inputs about what needs a value.
_CANDIDATE_RE = re.compile(r"\{\{[^{}]*\}\}|\{[^{}]*\}")

SegmentKind = Literal["text", "value", "missing"]


class ButtonLike(Protocol):
    """What these helpers read of a template button."""

    @property
    def title(self) -> str | None: ...
    @property
    def type(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...


class TemplateLike(Protocol):
    """What these helpers read of a template (:class:`sendbee_tui.api.Template` fits).

    ``tags`` and ``button_tags`` hold objects with a ``name`` or raw JSON
    mappings (``{"name": "{{1}}"}``): servers differ, both are understood.
    """

    @property
    def keyword(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def text(self) -> str | None: ...
    @property
    def tags(self) -> Iterable[object]: ...
    @property
    def buttons(self) -> Iterable[ButtonLike]: ...
    @property
    def button_tags(self) -> Iterable[object]: ...
    @property
    def attachment(self) -> str | None: ...


class StatusLike(Protocol):
    """Anything with a template's review ``status`` (approved, pending, rejected)."""

    @property
    def status(self) -> str | None: ...


class SortableTemplate(StatusLike, Protocol):
    """What the picker's order reads of a template."""

    @property
    def keyword(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...


@dataclass(frozen=True)
class Segment:
    """One run of preview text: template text, a filled value, or a gap."""

    text: str
    kind: SegmentKind
    placeholder: str | None = None


@dataclass(frozen=True)
class AttachmentRule:
    """What a template's ``attachment`` kind accepts (WhatsApp's media rules)."""

    kind: str
    extensions: tuple[str, ...]

    @property
    def description(self) -> str:
        """Human wording such as ``image (JPG, PNG)`` for hints and errors."""
        shown: list[str] = []
        for ext in self.extensions:
            label = ext.upper()
            # jpeg/jpg and docx/doc are the same thing to a human reader.
            if label in {"JPEG", "DOCX", "PPTX", "XLSX", "3GPP"}:
                continue
            shown.append(label)
        return f"{self.kind} ({', '.join(shown)})"


ATTACHMENT_RULES: dict[str, AttachmentRule] = {
    "image": AttachmentRule("image", ("jpg", "jpeg", "png")),
    "video": AttachmentRule("video", ("mp4", "3gp", "3gpp")),
    "document": AttachmentRule("document", ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx")),
}

# Extensions that clearly belong to *some* media kind; a URL ending in one of
# these that the template's kind does not accept is refused.  Anything else
# (no extension, ``.php``, ``.aspx``...) is accepted: plenty of media is
# served from URLs that do not name a file, so the check stays loose.
_KNOWN_MEDIA_EXTENSIONS: dict[str, str] = {
    **{ext: kind for kind, rule in ATTACHMENT_RULES.items() for ext in rule.extensions},
    "gif": "image",
    "webp": "image",
    "bmp": "image",
    "tif": "image",
    "tiff": "image",
    "svg": "image",
    "heic": "image",
    "mov": "video",
    "avi": "video",
    "mkv": "video",
    "webm": "video",
    "aac": "audio",
    "m4a": "audio",
    "amr": "audio",
    "mp3": "audio",
    "ogg": "audio",
    "opus": "audio",
    "wav": "audio",
    "txt": "document",
    "csv": "document",
    "odt": "document",
    "rtf": "document",
    "zip": "archive",
    "rar": "archive",
    "exe": "program",
}


def normalise_placeholder(name: str) -> str:
    """``"{{1}}"``, ``" 1 "`` and ``"1"`` all name placeholder ``"1"``; ``"{name}"`` is ``"name"``.

    Template ``tags`` come back from the API as ``[{"name": ...}]`` and servers
    differ on whether the braces are included; the send call wants bare keys.
    """
    name = name.strip()
    found = template_placeholders(name)
    if len(found) == 1 and _placeholder_at(name) == found[0]:
        return found[0]
    return name.strip("{} ")


def _placeholder_at(candidate: str) -> str | None:
    """The placeholder ``candidate`` spells in full (``"{{ 1 }}"``, ``"{name}"``), else None."""
    match = _CANDIDATE_RE.fullmatch(candidate)
    if match is None:
        return None
    found = template_placeholders(candidate)
    return found[0] if len(found) == 1 else None


def is_named(name: str) -> bool:
    """``{name}`` (named) rather than ``{{1}}`` (numbered)."""
    return not name.isdigit()


def _ordered(names: Iterable[str]) -> list[str]:
    """Numbered placeholders in numeric order (10 after 9), then named ones as first seen.

    The same order the sandbox uses for its own lists; named ones stay in text
    order because "name, day, from, to" reads better than the alphabet.
    """
    unique = list(dict.fromkeys(names))
    numbered = sorted((n for n in unique if n.isdigit()), key=int)
    return numbered + [n for n in unique if not n.isdigit()]


def placeholders_in(text: str | None) -> list[str]:
    """Placeholder names in ``text`` (``{{1}}`` and ``{name}``), unique, numbered first."""
    return _ordered(template_placeholders(text))


def tag_label(name: str) -> str:
    """How a placeholder is written in a template: ``"1"`` -> ``"{{1}}"``, ``"day"`` -> ``"{day}"``.

    Only ever shown (labels, hints, the picker's detail), never parsed back.
    """
    return f"{{{name}}}" if is_named(name) else f"{{{{{name}}}}}"


def placeholder_title(name: str) -> str:
    """A human label for a named placeholder: ``"card_number"`` -> ``"Card number"``.

    Numbered placeholders have no name to show; they keep their ``{{n}}``.
    """
    if not is_named(name):
        return tag_label(name)
    words = name.replace("_", " ").split()
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def _tag_names(tags: Iterable[object] | None) -> list[str]:
    names: list[str] = []
    for tag in tags or ():
        raw = tag.get("name") if isinstance(tag, Mapping) else getattr(tag, "name", tag)
        if isinstance(raw, str) and normalise_placeholder(raw):
            names.append(normalise_placeholder(raw))
    return names


def text_placeholders(template: TemplateLike) -> list[str]:
    """The keys of ``tags`` a send needs: the body's placeholders plus declared tags.

    The body is the truth (a missing value would leave ``{{2}}`` or ``{name}``
    in the customer's message); the declared ``tags`` are added in case the
    server knows of a placeholder the text does not show.
    """
    return _ordered([*placeholders_in(template.text), *_tag_names(template.tags)])


def button_placeholders(template: TemplateLike) -> list[str]:
    """The keys of ``button_tags``: placeholders in button values plus declared button tags."""
    names: list[str] = []
    for button in template.buttons or ():
        names.extend(placeholders_in(button.value))
    return _ordered([*names, *_tag_names(template.button_tags)])


def check_placeholder_value(value: str) -> str | None:
    """``None`` if WhatsApp accepts ``value`` as a placeholder value, else why not.

    WhatsApp refuses template parameters that contain line breaks, tabs or more
    than four spaces in a row; catching it here keeps the send from failing
    after the agent has moved on.  An empty value is left to the "required" check.
    """
    if "\n" in value or "\r" in value:
        return "A placeholder value cannot contain line breaks."
    if "\t" in value:
        return "A placeholder value cannot contain tabs."
    if "     " in value:
        return "A placeholder value cannot contain more than four spaces in a row."
    return None


def missing_placeholders(names: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """Names whose value is empty or only whitespace."""
    return [name for name in names if not (values.get(name) or "").strip()]


def fill_segments(text: str | None, values: Mapping[str, str]) -> list[Segment]:
    """Split ``text`` into literal runs, filled values and unfilled gaps.

    The form styles the runs differently (values highlighted, gaps shown as
    ``{{n}}`` in a warning colour) without ever building markup from the
    untrusted template text.
    """
    text = text or ""
    segments: list[Segment] = []
    position = 0
    for match in _CANDIDATE_RE.finditer(text):
        name = _placeholder_at(match.group(0))
        if name is None:
            continue  # "{1}", "{ }", "{{}}": plain text
        if match.start() > position:
            segments.append(Segment(text[position : match.start()], "text"))
        value = values.get(name) or ""
        if value.strip():
            segments.append(Segment(value, "value", name))
        else:
            segments.append(Segment(match.group(0), "missing", name))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:], "text"))
    return segments


def fill(text: str | None, values: Mapping[str, str]) -> str:
    """The text the customer receives: every filled placeholder replaced.

    Unfilled placeholders stay as written, which is what the preview should
    show (and what the form refuses to send).
    """
    return "".join(segment.text for segment in fill_segments(text, values))


@dataclass(frozen=True)
class ButtonPreview:
    """A button as the customer sees it: its title and, for URL buttons, the filled URL."""

    title: str
    type: str
    value: str


def button_previews(
    template: TemplateLike, button_values: Mapping[str, str]
) -> list[ButtonPreview]:
    """Every button with its dynamic URL filled from ``button_values``."""
    previews: list[ButtonPreview] = []
    for button in template.buttons or ():
        previews.append(
            ButtonPreview(
                title=button.title or "",
                type=button.type or "",
                value=fill(button.value or "", button_values),
            )
        )
    return previews


def check_url(url: str) -> str | None:
    """``None`` if ``url`` looks like an http(s) URL, else a message saying why not."""
    url = url.strip()
    if not url:
        return "Enter a URL."
    if any(ch.isspace() for ch in url):
        return "A URL cannot contain spaces."
    try:
        parts = urlsplit(url)
    except ValueError:
        return "That is not a valid URL."
    if parts.scheme.lower() not in {"http", "https"}:
        return "The URL must start with http:// or https://."
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return "The URL needs a host name, e.g. https://example.com/file.jpg."
    return None


def attachment_rule(kind: str | None) -> AttachmentRule | None:
    """The rule for a template's ``attachment`` kind, ``None`` when it takes none."""
    if not kind:
        return None
    return ATTACHMENT_RULES.get(kind.strip().lower())


def _extension(url: str) -> str:
    path = urlsplit(url.strip()).path
    last = path.rsplit("/", 1)[-1]
    if "." not in last:
        return ""
    return last.rsplit(".", 1)[-1].lower()


def check_attachment_url(url: str, kind: str | None) -> str | None:
    """``None`` if ``url`` is acceptable for a template whose attachment is ``kind``.

    The check is deliberately loose: a URL is refused when it is not http(s)
    or when it names a file that is clearly of another kind (``clip.mp4`` for
    an image template).  URLs without a recognisable extension are accepted
    because the server that hosts the media decides what it serves.
    """
    problem = check_url(url)
    if problem:
        return problem
    rule = attachment_rule(kind)
    if rule is None:
        return None
    ext = _extension(url)
    if not ext or ext in rule.extensions:
        return None
    other = _KNOWN_MEDIA_EXTENSIONS.get(ext)
    if other is None:
        return None
    return f".{ext} is not allowed: this template takes an {rule.description}."


def contact_values(contact: object | None) -> dict[str, str]:
    """Labelled values from a contact that can fill a placeholder.

    Works on a full ``Contact`` (name, phone, custom fields) and on the small
    ``ConversationContact`` (name, phone); empty values are left out.
    """
    values: dict[str, str] = {}
    if contact is None:
        return values
    for label, attr in (("Name", "name"), ("Phone", "phone")):
        value = getattr(contact, attr, None)
        if isinstance(value, str) and value.strip():
            values[label] = value.strip()
    name = values.get("Name", "")
    if name:
        first = name.split()[0]
        if first != name:
            values["First name"] = first
    for field in getattr(contact, "contact_fields", ()) or ():
        key = getattr(field, "key", None)
        value = getattr(field, "value", None)
        if key and value not in (None, ""):
            values.setdefault(str(key), str(value))
    return values


def _words(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def matching_value_label(placeholder: str, values: Mapping[str, str]) -> str | None:
    """The contact value a named placeholder asks for by name, if there is one.

    ``{name}`` -> ``"Name"``, ``{first_name}`` -> ``"First name"``, ``{card_number}``
    -> a custom field called ``card_number`` or "Card number".  Numbered
    placeholders say nothing about their meaning, so they match nothing.
    """
    if not is_named(placeholder):
        return None
    wanted = _words(placeholder)
    return next((label for label in values if _words(label) == wanted), None)


def template_matches(template: TemplateLike, query: str) -> bool:
    """Whether every word of ``query`` appears in the keyword, name or text."""
    words = query.lower().split()
    if not words:
        return True
    haystack = " ".join(
        text or "" for text in (template.keyword, template.name, template.text)
    ).lower()
    return all(word in haystack for word in words)


def button_titles(template: TemplateLike, name: str) -> str:
    """The titles of the buttons whose URL uses placeholder ``name``, quoted for a hint."""
    titles = [
        button.title
        for button in template.buttons
        if button.title and name in placeholders_in(button.value)
    ]
    return ", ".join(f"“{title}”" for title in titles)


# --------------------------------------------------------------------------- the picker

_STATUS_ORDER = {"approved": 0, "pending": 1, "rejected": 2}


def status_of(template: StatusLike) -> str:
    """The review status in lower case (``"unknown"`` when the server gave none)."""
    return (template.status or "unknown").lower()


def sendable(template: StatusLike) -> bool:
    """Only approved templates can be sent (WhatsApp's rule, enforced by the API too)."""
    return (template.status or "").lower() == "approved"


def picker_sort_key(template: SortableTemplate) -> tuple[int, str, str]:
    """Sendable first, then pending, then rejected; by name and language within each."""
    return (
        _STATUS_ORDER.get(status_of(template), 3),
        (template.name or template.keyword or "").casefold(),
        template.language or "",
    )


def first_line(text: str | None, width: int = 90) -> str:
    """``text`` on one line (runs of white space folded), cut to ``width`` with an ellipsis."""
    line = " ".join((text or "").split())
    return line if len(line) <= width else line[: width - 1] + "…"


# --------------------------------------------------------------------------- the recipient


def recipient_phone(
    phone: str | None, contact: Contact | None, conversation: Conversation | None
) -> str | None:
    """The phone a send goes to: given, else the conversation's contact, else the contact.

    ``None`` means "a new number": the form then asks for it.
    """
    if phone:
        return phone
    sources = (conversation.contact if conversation else None, contact)
    for source in sources:
        value = source.phone if source is not None else None
        if value and value.strip():
            return value.strip()
    return None


def recipient_name(contact: Contact | None, conversation: Conversation | None) -> str | None:
    """The name to show next to the recipient's phone, when one is known."""
    sources = (conversation.contact if conversation else None, contact)
    for source in sources:
        value = source.name if source is not None else None
        if value and value.strip():
            return value.strip()
    return None
