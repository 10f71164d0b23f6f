"""Typed, immutable views of the API's JSON objects.

Every model is a frozen, slotted dataclass built by ``from_dict``, which never
raises on odd input: unknown keys are ignored, missing or ``null`` ones get a
default, nested collections become tuples, and timestamps become timezone-aware
datetimes whatever shape they arrive in. The untouched JSON stays on ``raw``
(excluded from ``repr`` and equality) so callers can reach fields a newer server
adds before this module learns about them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._coerce import as_bool, as_dict, as_dicts, as_int, as_str, as_strs, parse_timestamp

__all__ = [
    "Acknowledgement",
    "ChatbotStatus",
    "Contact",
    "ContactField",
    "ContactFieldValue",
    "Conversation",
    "ConversationContact",
    "LastMessage",
    "Member",
    "Message",
    "Note",
    "RateLimitStatus",
    "SentMessage",
    "Tag",
    "Team",
    "TeamRef",
    "Template",
    "TemplateButton",
    "TemplateTag",
    "Webhook",
]

Raw = Mapping[str, Any]


def _mapping(data: Any) -> Raw:
    return as_dict(data)


@dataclass(frozen=True, slots=True)
class Tag:
    """A contact tag."""

    id: str | None = None
    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Tag:
        """Build from JSON; a bare string is taken as the tag's name."""
        if isinstance(data, str):
            return cls(name=data, raw={"name": data})
        d = _mapping(data)
        return cls(id=as_str(d.get("id")), name=as_str(d.get("name")), raw=d)


@dataclass(frozen=True, slots=True)
class Note:
    """A free-text note on a contact."""

    id: str | None = None
    value: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Note:
        """Build from JSON; a bare string is taken as the note's text."""
        if isinstance(data, str):
            return cls(value=data, raw={"value": data})
        d = _mapping(data)
        return cls(id=as_str(d.get("id")), value=as_str(d.get("value")), raw=d)


@dataclass(frozen=True, slots=True)
class ContactFieldValue:
    """The value of one custom field on a contact (value keeps its JSON type)."""

    key: str | None = None
    value: Any = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> ContactFieldValue:
        """Build from JSON; accepts ``key`` or ``name`` as the field name."""
        d = _mapping(data)
        return cls(key=as_str(d.get("key", d.get("name"))), value=d.get("value"), raw=d)


@dataclass(frozen=True, slots=True)
class ContactField:
    """A custom contact field definition (``options`` only matter for type ``list``)."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    options: tuple[str, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> ContactField:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            name=as_str(d.get("name")),
            type=as_str(d.get("type")),
            options=as_strs(d.get("options")),
            raw=d,
        )


def _contact_fields(value: Any) -> tuple[ContactFieldValue, ...]:
    # A {name: value} mapping (the shape the write calls take) is accepted too.
    if isinstance(value, Mapping) and "key" not in value and "name" not in value:
        return tuple(
            ContactFieldValue(key=str(k), value=v, raw={"key": k, "value": v})
            for k, v in value.items()
        )
    return tuple(ContactFieldValue.from_dict(v) for v in as_dicts(value))


def _tags(value: Any) -> tuple[Tag, ...]:
    if isinstance(value, list):
        return tuple(Tag.from_dict(v) for v in value if isinstance(v, (str, Mapping)))
    return tuple(Tag.from_dict(v) for v in as_dicts(value))


def _notes(value: Any) -> tuple[Note, ...]:
    if isinstance(value, list):
        return tuple(Note.from_dict(v) for v in value if isinstance(v, (str, Mapping)))
    return tuple(Note.from_dict(v) for v in as_dicts(value))


@dataclass(frozen=True, slots=True)
class Contact:
    """A WhatsApp contact (subscriber) of the business."""

    id: str | None = None
    name: str | None = None
    phone: str | None = None
    whatsapp_user_id: str | None = None
    status: str | None = None
    folder: str | None = None
    created_at: datetime | None = None
    modified_at: datetime | None = None
    has_messaging_consent: bool | None = None
    tags: tuple[Tag, ...] = ()
    notes: tuple[Note, ...] = ()
    contact_fields: tuple[ContactFieldValue, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Contact:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            name=as_str(d.get("name")),
            phone=as_str(d.get("phone")),
            whatsapp_user_id=as_str(d.get("whatsapp_user_id")),
            status=as_str(d.get("status")),
            folder=as_str(d.get("folder")),
            created_at=parse_timestamp(d.get("created_at")),
            modified_at=parse_timestamp(d.get("modified_at")),
            has_messaging_consent=as_bool(d.get("has_messaging_consent")),
            tags=_tags(d.get("tags")),
            notes=_notes(d.get("notes")),
            contact_fields=_contact_fields(d.get("contact_fields")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class ConversationContact:
    """The contact a conversation is with (a summary, not the full Contact)."""

    id: str | None = None
    name: str | None = None
    phone: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> ConversationContact:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")), name=as_str(d.get("name")), phone=as_str(d.get("phone")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class LastMessage:
    """Summary of a conversation's latest message; either timestamp may be None."""

    direction: str | None = None
    status: str | None = None
    inbound_sent_at: datetime | None = None
    outbound_sent_at: datetime | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> LastMessage:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            direction=as_str(d.get("direction")),
            status=as_str(d.get("status")),
            inbound_sent_at=parse_timestamp(d.get("inbound_sent_at")),
            outbound_sent_at=parse_timestamp(d.get("outbound_sent_at")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class Conversation:
    """A conversation (chat thread) with one contact."""

    id: str | None = None
    folder: str | None = None
    chatbot_active: bool | None = None
    platform: str | None = None
    created_at: datetime | None = None
    contact: ConversationContact = field(default_factory=ConversationContact)
    last_message: LastMessage = field(default_factory=LastMessage)
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Conversation:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            folder=as_str(d.get("folder")),
            chatbot_active=as_bool(d.get("chatbot_active")),
            platform=as_str(d.get("platform")),
            created_at=parse_timestamp(d.get("created_at")),
            contact=ConversationContact.from_dict(d.get("contact")),
            last_message=LastMessage.from_dict(d.get("last_message")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class Message:
    """One message in a conversation. Unknown media types/directions are kept as text."""

    id: str | None = None
    body: str | None = None
    media_type: str | None = None
    media_url: str | None = None
    status: str | None = None
    direction: str | None = None
    sent_at: datetime | None = None
    fail_reason: str | None = None
    from_user_id: str | None = None
    to_user_id: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Message:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            body=as_str(d.get("body")),
            media_type=as_str(d.get("media_type")),
            media_url=as_str(d.get("media_url")),
            status=as_str(d.get("status")),
            direction=as_str(d.get("direction")),
            sent_at=parse_timestamp(d.get("sent_at")),
            fail_reason=as_str(d.get("fail_reason")),
            from_user_id=as_str(d.get("from_user_id")),
            to_user_id=as_str(d.get("to_user_id")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class TemplateTag:
    """A placeholder (``{{1}}``) of a template or of a template button."""

    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> TemplateTag:
        """Build from JSON; a bare string or number is taken as the name."""
        if isinstance(data, (str, int)) and not isinstance(data, bool):
            return cls(name=str(data), raw={"name": data})
        d = _mapping(data)
        return cls(name=as_str(d.get("name")), raw=d)


@dataclass(frozen=True, slots=True)
class TemplateButton:
    """A template button (quick reply, URL, phone number)."""

    index: int | None = None
    type: str | None = None
    title: str | None = None
    value: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> TemplateButton:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            index=as_int(d.get("index")),
            type=as_str(d.get("type")),
            title=as_str(d.get("title")),
            value=as_str(d.get("value")),
            raw=d,
        )


def _template_tags(value: Any) -> tuple[TemplateTag, ...]:
    if isinstance(value, list):
        return tuple(TemplateTag.from_dict(v) for v in value if v is not None)
    return tuple(TemplateTag.from_dict(v) for v in as_dicts(value))


@dataclass(frozen=True, slots=True)
class Template:
    """A WhatsApp message template (only ``approved`` ones can be sent)."""

    id: str | None = None
    keyword: str | None = None
    name: str | None = None
    category: str | None = None
    language: str | None = None
    status: str | None = None
    text: str | None = None
    tags: tuple[TemplateTag, ...] = ()
    buttons: tuple[TemplateButton, ...] = ()
    button_tags: tuple[TemplateTag, ...] = ()
    attachment: str | None = None
    rejected_reason: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Template:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            keyword=as_str(d.get("keyword")),
            name=as_str(d.get("name")),
            category=as_str(d.get("category")),
            language=as_str(d.get("language")),
            status=as_str(d.get("status")),
            text=as_str(d.get("text")),
            tags=_template_tags(d.get("tags")),
            buttons=tuple(TemplateButton.from_dict(b) for b in as_dicts(d.get("buttons"))),
            button_tags=_template_tags(d.get("button_tags")),
            attachment=as_str(d.get("attachment")),
            rejected_reason=as_str(d.get("rejected_reason")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class SentMessage:
    """Result of a send. ``id`` is the *conversation* id (see :attr:`conversation_id`)."""

    id: str | None = None
    message_id: str | None = None
    message_reference_id: str | None = None
    status: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @property
    def conversation_id(self) -> str | None:
        """The conversation the message went to (the API calls it ``id``)."""
        return self.id

    @classmethod
    def from_dict(cls, data: Any) -> SentMessage:
        """Build from JSON; ``conversation_id`` is accepted in place of ``id``."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id", d.get("conversation_id"))),
            message_id=as_str(d.get("message_id")),
            message_reference_id=as_str(d.get("message_reference_id")),
            status=as_str(d.get("status")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class TeamRef:
    """A team a member belongs to (id and name only)."""

    id: str | None = None
    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> TeamRef:
        """Build from JSON."""
        d = _mapping(data)
        return cls(id=as_str(d.get("id")), name=as_str(d.get("name")), raw=d)


@dataclass(frozen=True, slots=True)
class Member:
    """A team member (agent). ``teams`` is filled by the members endpoint only."""

    id: str | None = None
    name: str | None = None
    role: str | None = None
    online: bool | None = None
    available: bool | None = None
    teams: tuple[TeamRef, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Member:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            name=as_str(d.get("name")),
            role=as_str(d.get("role")),
            online=as_bool(d.get("online")),
            available=as_bool(d.get("available")),
            teams=tuple(TeamRef.from_dict(t) for t in as_dicts(d.get("teams"))),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class Team:
    """A team of agents."""

    id: str | None = None
    name: str | None = None
    members: tuple[Member, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Team:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            name=as_str(d.get("name")),
            members=tuple(Member.from_dict(m) for m in as_dicts(d.get("members"))),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class ChatbotStatus:
    """Whether the chatbot currently answers in a conversation."""

    conversation_id: str | None = None
    chatbot_active: bool | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> ChatbotStatus:
        """Build from JSON; ``active`` is accepted in place of ``chatbot_active``."""
        d = _mapping(data)
        return cls(
            conversation_id=as_str(d.get("conversation_id")),
            chatbot_active=as_bool(d.get("chatbot_active", d.get("active"))),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class Webhook:
    """A webhook subscription. ``secret_key`` signs its requests, so it is kept out of repr."""

    id: str | None = None
    url: str | None = None
    active: bool | None = None
    selected_webhooks: tuple[str, ...] = ()
    secret_key: str | None = field(default=None, repr=False)
    created_at: datetime | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Webhook:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            id=as_str(d.get("id")),
            url=as_str(d.get("url")),
            active=as_bool(d.get("active")),
            selected_webhooks=as_strs(d.get("selected_webhooks")),
            secret_key=as_str(d.get("secret_key")),
            created_at=parse_timestamp(d.get("created_at")),
            raw=d,
        )


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The ``{"message": "..."}`` answer of delete and chatbot calls."""

    message: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> Acknowledgement:
        """Build from JSON; ``detail`` is accepted in place of ``message``."""
        d = _mapping(data)
        return cls(message=as_str(d.get("message", d.get("detail"))), raw=d)


@dataclass(frozen=True, slots=True)
class RateLimitStatus:
    """Answer of the rate-limit test endpoints: ``{detail, error, type}``."""

    detail: str | None = None
    error: bool | None = None
    type: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Any) -> RateLimitStatus:
        """Build from JSON."""
        d = _mapping(data)
        return cls(
            detail=as_str(d.get("detail")),
            error=as_bool(d.get("error")),
            type=as_str(d.get("type")),
            raw=d,
        )
