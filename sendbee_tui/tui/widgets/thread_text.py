"""How a message reads in the thread: its body, its delivery ticks, its day and time.

Pure functions over API models, no widget: :class:`~.thread.Thread` lays them
out and caches the result per message and width.  Untrusted text (bodies, names,
URLs) becomes :class:`~textual.content.Content`, never markup.
"""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.style import Style

from sendbee_tui.api import Message as ApiMessage
from sendbee_tui.tui.safe_text import safe_url

__all__ = ["TICKS", "format_clock", "format_day", "message_body"]

TICKS = {
    "sent": ("✓", "$text-muted"),
    "delivered": ("✓✓", "$text-muted"),
    "read": ("✓✓", "$accent"),
    "failed": ("✗", "$error"),
    "received": ("", ""),
}


def format_day(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%a %d %b %Y")


def format_clock(when: float) -> str:
    return datetime.fromtimestamp(when).strftime("%H:%M")


def message_body(message: ApiMessage) -> Content:
    """Body of a message as Content; media as ``[type] URL`` with a link only for http(s)."""
    parts: list[Content] = []
    media = (message.media_type or "text").lower()
    if media != "text" or message.media_url:
        label = Content.styled(f"[{media}]", "bold $secondary")
        url = message.media_url or ""
        link = safe_url(url)
        url_content = Content(url)
        if link:
            url_content = url_content.stylize(Style(link=link, underline=True))
        parts.append(Content.assemble(label, " ", url_content) if url else label)
    if message.body:
        parts.append(Content(message.body).expand_tabs(4))
    if not parts:
        parts.append(Content.styled("(empty message)", "$text-muted italic"))
    return Content("\n").join(parts)
