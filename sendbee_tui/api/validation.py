"""Input checks done before a request is sent.

A mistyped phone number or folder name should fail here, with a message that
names the parameter and says what is allowed, instead of costing a round trip
(or, for a send, reaching a customer in a half-valid state). Every check raises
:class:`ValueError`; the forms reuse these functions to validate fields as the
user types.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CONTACT_STATUSES",
    "CONVERSATION_FOLDERS",
    "FIELD_TYPES",
    "FOLDERS",
    "MAX_LIMIT",
    "MOVABLE_FOLDERS",
    "TEMPLATE_ATTACHMENTS",
    "TEMPLATE_STATUSES",
    "WEBHOOK_EVENTS",
    "require_text",
    "validate_choice",
    "validate_field_definition",
    "validate_limit",
    "validate_page",
    "validate_phone",
    "validate_recipient",
    "validate_send_content",
    "validate_string_map",
    "validate_timestamp",
    "validate_url",
]

#: Folders a conversation can be listed from.
FOLDERS: tuple[str, ...] = ("open", "done", "spam", "notified")
CONVERSATION_FOLDERS = FOLDERS
#: Folders a conversation can be moved to with ``conversations.move``.
MOVABLE_FOLDERS: tuple[str, ...] = ("open", "done")
CONTACT_STATUSES: tuple[str, ...] = ("subscribed", "unsubscribed")
TEMPLATE_STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")
FIELD_TYPES: tuple[str, ...] = ("text", "number", "list", "date", "boolean")
TEMPLATE_ATTACHMENTS: tuple[str, ...] = ("image", "video", "document")
WEBHOOK_EVENTS: tuple[str, ...] = (
    "contact.created",
    "contact.subscription_created",
    "contact.subscription_updated",
    "contact.unsubscribed",
    "message.received",
    "message.sent",
    "message.sent_status",
    "whatsapp.message.session.sent_status",
    "whatsapp.message.template.sent_status",
    "whatsapp.message.template.approval_status",
    "conversation.change_folder",
)
#: The API's maximum page size.
MAX_LIMIT = 100

_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
# Separators people type and that carry no meaning in a phone number.
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")


def validate_phone(phone: Any, name: str = "phone") -> str:
    """Return ``phone`` in E.164 form (``+`` then 8-15 digits), separators removed.

    ``"+385 91 234-5678"`` becomes ``"+385912345678"``; a number without the
    leading ``+`` is refused rather than guessed, because the country code is
    exactly what would be guessed wrong.
    """
    if not isinstance(phone, str) or not phone.strip():
        raise ValueError(f"{name} is required: an E.164 number such as +385911234567")
    compact = _PHONE_SEPARATORS.sub("", phone)
    if compact.startswith("00"):
        raise ValueError(f"{name} must start with '+' and the country code, not 00 (got {phone!r})")
    if not _E164.fullmatch(compact):
        raise ValueError(
            f"{name} must be in E.164 format: '+', country code and number, 8 to 15 digits "
            f"in total, e.g. +385911234567 (got {phone!r})"
        )
    return compact


def validate_choice(value: Any, allowed: Collection[str], name: str) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise a ValueError listing them."""
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {choices} (got {value!r})")
    return str(value)


def require_text(value: Any, name: str) -> str:
    """Return a non-blank string or raise ValueError naming the parameter."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} is required and must be a non-empty string")
    return value


def validate_page(page: Any) -> int:
    """A page number: an int >= 1."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(f"page must be an integer >= 1 (got {page!r})")
    return page


def validate_limit(limit: Any) -> int | None:
    """A page size between 1 and 100, or None for the server's default."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be an integer from 1 to {MAX_LIMIT} (got {limit!r})")
    return limit


def validate_timestamp(value: Any, name: str) -> int | None:
    """Unix seconds from an int/float or a datetime (naive = UTC); None passes through."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return int(aware.timestamp())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise ValueError(f"{name} must be a Unix timestamp or a datetime (got {value!r})")


def validate_url(url: Any, name: str) -> str:
    """An absolute http(s) URL (media, attachments and webhooks are fetched/called by Sendbee)."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{name} is required: an http(s) URL")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an absolute http:// or https:// URL (got {url!r})")
    return url.strip()


def validate_recipient(phone: Any, whatsapp_user_id: Any) -> tuple[str | None, str | None]:
    """Exactly who to send to: a valid phone, a WhatsApp user id, or both."""
    if phone is None and whatsapp_user_id is None:
        raise ValueError("a recipient is required: give phone (E.164) or whatsapp_user_id")
    checked_phone = validate_phone(phone) if phone is not None else None
    checked_id = (
        require_text(whatsapp_user_id, "whatsapp_user_id") if whatsapp_user_id is not None else None
    )
    return checked_phone, checked_id


def validate_send_content(text: Any, media_url: Any) -> tuple[str | None, str | None]:
    """A free-form message needs text, a media URL, or both."""
    has_text = isinstance(text, str) and text.strip() != ""
    if text is not None and not isinstance(text, str):
        raise ValueError(f"text must be a string (got {type(text).__name__})")
    if not has_text and media_url is None:
        raise ValueError("a message needs text or media_url (or both); both are empty")
    url = validate_url(media_url, "media_url") if media_url is not None else None
    return (text if has_text else None), url


def validate_field_definition(
    type: Any,
    options: Any,
    *,
    creating: bool,
) -> list[str] | None:
    """Check a custom field's type/options pair and return the options as a list.

    A ``list`` field needs at least one option; other types take none. On update
    the type may be omitted (the server knows it), so options alone are allowed.
    """
    if type is None and creating:
        raise ValueError(f"type is required: one of {', '.join(FIELD_TYPES)}")
    if type is not None:
        validate_choice(type, FIELD_TYPES, "type")
    if options is None:
        if type == "list":
            raise ValueError("options are required for a field of type 'list' (one or more)")
        return None
    if isinstance(options, str) or not isinstance(options, (list, tuple)):
        raise ValueError("options must be a list of strings")
    cleaned = [o for o in options if isinstance(o, str) and o.strip()]
    if len(cleaned) != len(options):
        raise ValueError("options must be non-empty strings")
    if type is not None and type != "list" and cleaned:
        raise ValueError(f"options only apply to fields of type 'list' (type is {type!r})")
    if type == "list" and not cleaned:
        raise ValueError("options are required for a field of type 'list' (one or more)")
    return cleaned


def validate_string_map(value: Any, name: str) -> dict[str, str] | None:
    """A ``{"1": "Ana"}`` style mapping; keys and values become strings."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f'{name} must be a mapping such as {{"1": "Ana"}}')
    return {str(k): "" if v is None else str(v) for k, v in value.items()}
