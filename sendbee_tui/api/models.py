"""Typed, immutable views of the API's JSON objects.

Every model is a frozen, slotted dataclass that declares its fields and nothing
else: the field's annotation *is* the parsing rule (``str | None``, ``bool | None``,
``datetime | None``, a nested model, a tuple of models, ``Any`` kept as sent), and
an ``aliases`` entry in a field's metadata names other keys servers use for it.
:mod:`._decoding` reads those annotations once per class and builds instances,
fast with msgspec when the JSON has the expected shape and field by field
otherwise. ``from_dict`` never raises on odd input: unknown keys are ignored,
missing or ``null`` ones get a default, nested collections become tuples, and
timestamps become timezone-aware datetimes whatever shape they arrive in.

The untouched JSON stays on ``raw`` (excluded from ``repr`` and equality) so
callers can reach fields a newer server adds before this module learns about them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from ._decoding import build
from .template_placeholders import template_placeholders

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
    "Model",
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
M = TypeVar("M", bound="Model")


class Model:
    """Base of every model: the shared ``from_dict`` and the hooks the parser reads.

    ``_scalar`` names the field a bare JSON scalar fills (a tag sent as ``"vip"``)
    and the scalar types accepted; ``_pairs`` lets a ``{name: value}`` object stand
    for a list of such models (contact fields as the write calls take them).
    """

    __slots__ = ()
    _scalar: ClassVar[tuple[str, tuple[type, ...]] | None] = None
    _pairs: ClassVar[bool] = False

    @classmethod
    def from_dict(cls: type[M], data: Any) -> M:
        """Build from decoded JSON; never raises (odd values become None or empty)."""
        return build(cls, data)


@dataclass(frozen=True, slots=True)
class Tag(Model):
    """A contact tag (a bare string is taken as the tag's name)."""

    _scalar = ("name", (str,))

    id: str | None = None
    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Note(Model):
    """A free-text note on a contact (a bare string is taken as the note's text).

    ``note`` is also read for ``value`` (the official client's other note model uses it).
    """

    _scalar = ("value", (str,))

    id: str | None = None
    value: str | None = field(default=None, metadata={"aliases": ("note",)})
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ContactFieldValue(Model):
    """The value of one custom field on a contact (value keeps its JSON type).

    ``name`` is accepted for ``key``; a ``{"City": "Zagreb"}`` object is accepted
    for the list (the shape the write calls take).
    """

    _pairs = True

    key: str | None = field(default=None, metadata={"aliases": ("name",)})
    value: Any = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ContactField(Model):
    """A custom contact field definition (``options`` only matter for type ``list``)."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    options: tuple[str, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Contact(Model):
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


@dataclass(frozen=True, slots=True)
class ConversationContact(Model):
    """The contact a conversation is with (a summary, not the full Contact)."""

    id: str | None = None
    name: str | None = None
    phone: str | None = None
    whatsapp_user_id: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class LastMessage(Model):
    """Summary of a conversation's latest message; either timestamp may be None."""

    direction: str | None = None
    status: str | None = None
    inbound_sent_at: datetime | None = None
    outbound_sent_at: datetime | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Conversation(Model):
    """A conversation (chat thread) with one contact."""

    id: str | None = None
    folder: str | None = None
    chatbot_active: bool | None = None
    platform: str | None = None
    created_at: datetime | None = None
    contact: ConversationContact = field(default_factory=ConversationContact)
    last_message: LastMessage = field(default_factory=LastMessage)
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Message(Model):
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


@dataclass(frozen=True, slots=True)
class TemplateTag(Model):
    """A placeholder (``{{1}}`` or ``{name}``) of a template or of a template button.

    A bare string or number is taken as the name.
    """

    _scalar = ("name", (str, int))

    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TemplateButton(Model):
    """A template button (quick reply, URL, phone number)."""

    index: int | None = None
    type: str | None = None
    title: str | None = None
    value: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Template(Model):
    """A WhatsApp message template (only ``approved`` ones can be sent).

    ``rejected_reason`` is also read from ``reject_reason`` (the PHP client's name).
    """

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
    rejected_reason: str | None = field(default=None, metadata={"aliases": ("reject_reason",)})
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Placeholder names in ``text``, both ``{{1}}`` and ``{name}``, in order."""
        return template_placeholders(self.text)


@dataclass(frozen=True, slots=True)
class SentMessage(Model):
    """Result of a send. ``id`` is the *conversation* id (see :attr:`conversation_id`)."""

    id: str | None = field(default=None, metadata={"aliases": ("conversation_id",)})
    message_id: str | None = None
    message_reference_id: str | None = None
    status: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)

    @property
    def conversation_id(self) -> str | None:
        """The conversation the message went to (the API calls it ``id``)."""
        return self.id


@dataclass(frozen=True, slots=True)
class TeamRef(Model):
    """A team a member belongs to (id and name only)."""

    id: str | None = None
    name: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Member(Model):
    """A team member (agent). ``teams`` is filled by the members endpoint only."""

    id: str | None = None
    name: str | None = None
    role: str | None = None
    online: bool | None = None
    available: bool | None = None
    teams: tuple[TeamRef, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Team(Model):
    """A team of agents."""

    id: str | None = None
    name: str | None = None
    members: tuple[Member, ...] = ()
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class ChatbotStatus(Model):
    """Whether the chatbot currently answers in a conversation (``active`` also read)."""

    conversation_id: str | None = None
    chatbot_active: bool | None = field(default=None, metadata={"aliases": ("active",)})
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Webhook(Model):
    """A webhook subscription. ``secret_key`` signs its requests, so it is kept out of repr."""

    id: str | None = None
    url: str | None = None
    active: bool | None = None
    selected_webhooks: tuple[str, ...] = ()
    secret_key: str | None = field(default=None, repr=False)
    created_at: datetime | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Acknowledgement(Model):
    """The ``{"message": "..."}`` answer of delete and chatbot calls (``detail`` also read)."""

    message: str | None = field(default=None, metadata={"aliases": ("detail",)})
    raw: Raw = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class RateLimitStatus(Model):
    """Answer of the rate-limit test endpoints: ``{detail, error, type}``."""

    detail: str | None = None
    error: bool | None = None
    type: str | None = None
    raw: Raw = field(default_factory=dict, repr=False, compare=False)
