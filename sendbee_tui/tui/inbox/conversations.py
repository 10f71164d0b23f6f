"""Pure functions over API conversations and messages, shared by the inbox and its widgets.

No state and no I/O: the list, the thread and the status widgets all need the
same answers to "when did the customer last write?" and "is the 24-hour window
still open?", and they must agree to the second, so there is one definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sendbee_tui.api import Conversation, Message

__all__ = [
    "FOLDERS",
    "WINDOW_SECONDS",
    "PreviewKey",
    "activity",
    "format_duration",
    "last_inbound",
    "last_outbound",
    "message_preview",
    "model_id",
    "newest_message",
    "preview_key",
    "ts",
    "window_left",
]

#: The conversation folders, in the order of the folder tabs (keys 1-4).
FOLDERS: tuple[str, ...] = ("open", "done", "spam", "notified")
#: WhatsApp's customer care window: free-form replies only this long after the last inbound.
WINDOW_SECONDS = 24 * 3600

#: What must change for a cached preview to be stale: (last inbound, last outbound).
PreviewKey = tuple[float | None, float | None]


def ts(value: datetime | float | None) -> float | None:
    """Epoch seconds of an API timestamp (tz-aware datetime), or None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return value.timestamp()


def model_id(model: Conversation | Message) -> str:
    """The id of an API object as a dict key.

    The models allow ``id=None`` because they never reject odd JSON; such an
    object cannot be addressed by any API call, so it shares the key ``""``.
    """
    return model.id or ""


def last_inbound(conv: Conversation) -> float | None:
    """Epoch of the customer's last message in ``conv`` (None if never)."""
    return ts(conv.last_message.inbound_sent_at)


def last_outbound(conv: Conversation) -> float | None:
    """Epoch of the last message sent to the customer (None if never)."""
    return ts(conv.last_message.outbound_sent_at)


def activity(conv: Conversation) -> float:
    """Most recent activity of a conversation: what "most recent first" sorts by."""
    return max(last_inbound(conv) or 0.0, last_outbound(conv) or 0.0, ts(conv.created_at) or 0.0)


def window_left(conv: Conversation, now: float) -> float | None:
    """Seconds left in the 24-hour customer care window, or None when it is closed."""
    inbound = last_inbound(conv)
    if inbound is None:
        return None
    left = inbound + WINDOW_SECONDS - now
    return left if left > 0 else None


def preview_key(conv: Conversation) -> PreviewKey:
    """What must change for a cached preview to be stale."""
    return (last_inbound(conv), last_outbound(conv))


def message_preview(message: Message) -> str:
    """One-line preview of a message: body, or ``[type] url`` for media."""
    body = (message.body or "").strip()
    media = message.media_type or "text"
    if media != "text" and message.media_url:
        body = f"[{media}] {body}".strip() if body else f"[{media}] {message.media_url}"
    elif media != "text":
        body = f"[{media}] {body}".strip()
    first = " ".join(body.split())
    direction = (message.direction or "").lower()
    if direction == "outbound":
        first = "You: " + first
    return first


def newest_message(messages: Iterable[Message]) -> Message:
    """The most recently sent of ``messages`` (which must not be empty)."""
    return max(messages, key=lambda m: ts(m.sent_at) or 0.0)


def format_duration(seconds: float) -> str:
    """A gap as an agent reads it: ``45 s``, ``12 min``, ``3.5 h``."""
    whole = max(0, int(seconds))
    if whole < 90:
        return f"{whole} s"
    if whole < 5400:
        return f"{round(whole / 60)} min"
    return f"{whole / 3600:.1f} h"
