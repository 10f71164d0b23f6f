"""The local echo of a sent message: shown at once, replaced by the server's copy on a poll.

A send is never retried here (:meth:`~sendbee_tui.tui.inbox.service.InboxService.send`
awaits one request): once it may have reached the server, sending again could
give the customer the same message twice.
"""

from __future__ import annotations

from datetime import datetime

from sendbee_tui.api import Message, SentMessage
from sendbee_tui.tui.safe_text import clean_model

__all__ = ["echo_message", "guess_media_type"]

_MEDIA_SUFFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".jpg", ".jpeg", ".png"), "image"),
    ((".mp4", ".3gp", ".3gpp"), "video"),
    ((".aac", ".m4a", ".amr", ".mp3", ".ogg", ".opus"), "audio"),
)


def guess_media_type(url: str) -> str:
    """WhatsApp media type of a URL by its file suffix; anything else is a document."""
    lower = url.lower().split("?")[0]
    for suffixes, kind in _MEDIA_SUFFIXES:
        if lower.endswith(suffixes):
            return kind
    return "document"


def echo_message(sent: SentMessage, *, text: str, media_url: str | None, now: float) -> Message:
    """The message as the thread shows it until the server lists it (cleaned).

    It carries the server's message id and status, so the next thread poll
    replaces it with the stored message and its later status updates.
    """
    return clean_model(
        Message(
            id=sent.message_id or f"local-{now}",
            body=text,
            media_type=guess_media_type(media_url) if media_url else "text",
            media_url=media_url,
            status=sent.status or "sent",
            direction="outbound",
            sent_at=datetime.fromtimestamp(now).astimezone(),
            fail_reason=None,
            from_user_id=None,
            to_user_id=None,
            raw={},
        )
    )
