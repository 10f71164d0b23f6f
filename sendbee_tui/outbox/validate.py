"""Check a reply when it is queued, not when it is sent.

The composer learns about a missing text or a malformed phone number while
the agent is still looking at it (``ValueError`` from :meth:`Outbox.enqueue`),
instead of a queued entry failing seconds later.  The checks are the API
client's own, so what passes here is what the client would send.
"""

from __future__ import annotations

from dataclasses import replace

from sendbee_tui.api.validation import (
    require_text,
    validate_phone,
    validate_send_content,
    validate_string_map,
    validate_url,
)

from .entry import Kind, Payload

__all__ = ["validate_entry"]


def validate_entry(phone: str, kind: Kind, payload: Payload) -> tuple[str, Payload]:
    """The phone in E.164 form and the payload as it will be sent; ValueError if unusable."""
    checked_phone = validate_phone(phone)
    if kind is Kind.TEMPLATE:
        require_text(payload.template_keyword, "keyword")
        require_text(payload.template_language, "language")
        tags = validate_string_map(payload.tags, "tags") or {}
        button_tags = validate_string_map(payload.button_tags, "button_tags") or {}
        attachment = validate_url(payload.attachment, "attachment") if payload.attachment else None
        if payload.text is not None or payload.media_url is not None:
            raise ValueError("a template takes tags and an attachment, not text or media_url")
        return checked_phone, replace(
            payload, tags=tags, button_tags=button_tags, attachment=attachment
        )
    if kind is Kind.MEDIA and not payload.media_url:
        raise ValueError("a media message needs a media_url")
    if kind is Kind.TEXT and payload.media_url:
        raise ValueError("a text message has no media_url (queue it as media)")
    text, media_url = validate_send_content(payload.text, payload.media_url)
    return checked_phone, replace(payload, text=text, media_url=media_url)
