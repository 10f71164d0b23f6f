"""Sending WhatsApp messages and templates.

Both calls are POSTs that reach a customer's phone, so the transport never
retries them once the request may have been written: a lost response is
reported as an error, and the caller must check the conversation before
sending again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models import SentMessage
from ..validation import (
    require_text,
    validate_recipient,
    validate_send_content,
    validate_string_map,
    validate_url,
)
from ._base import Resource

__all__ = ["Messages"]


class Messages(Resource):
    """Outbound messages."""

    async def send(
        self,
        phone: str | None = None,
        whatsapp_user_id: str | None = None,
        text: str | None = None,
        media_url: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
        live_inbox: bool | None = None,
    ) -> SentMessage:
        """Send a free-form message (text and/or media URL).

        Only allowed within 24 hours of the contact's last inbound message; the
        server answers 400 otherwise (:class:`~sendbee_tui.api.errors.ValidationError`).
        Sending turns the conversation's chatbot off unless ``prevent_bot_off``.
        """
        to_phone, to_user = validate_recipient(phone, whatsapp_user_id)
        body_text, url = validate_send_content(text, media_url)
        body: dict[str, Any] = {
            "phone": to_phone,
            "whatsapp_user_id": to_user,
            "text": body_text,
            "media_url": url,
            "prevent_bot_off": bool(prevent_bot_off),
            "agent_id": agent_id,
            "live_inbox": live_inbox,
        }
        return await self._one(
            "POST",
            "/conversations/messages/send",
            SentMessage,
            json=body,
            idempotent=False,
        )

    async def send_template(
        self,
        phone: str | None = None,
        whatsapp_user_id: str | None = None,
        *,
        keyword: str,
        language: str,
        tags: Mapping[str, Any] | None = None,
        button_tags: Mapping[str, Any] | None = None,
        attachment: str | None = None,
        prevent_bot_off: bool = False,
        agent_id: str | None = None,
        live_inbox: bool | None = None,
    ) -> SentMessage:
        """Send an approved template; ``tags={"1": "Ana"}`` fills ``{{1}}``.

        ``attachment`` is a URL, only for templates whose ``attachment`` is
        image, video or document.
        """
        to_phone, to_user = validate_recipient(phone, whatsapp_user_id)
        body: dict[str, Any] = {
            "phone": to_phone,
            "whatsapp_user_id": to_user,
            "template_keyword": require_text(keyword, "keyword"),
            "language": require_text(language, "language"),
            "tags": validate_string_map(tags, "tags"),  # "1" or a name: {{1}} / {name}
            "button_tags": validate_string_map(button_tags, "button_tags"),
            "attachment": validate_url(attachment, "attachment") if attachment else None,
            "prevent_bot_off": bool(prevent_bot_off),
            "agent_id": agent_id,
            "live_inbox": live_inbox,
        }
        return await self._one(
            "POST",
            "/conversations/messages/templates/send",
            SentMessage,
            json=body,
            idempotent=False,
        )
