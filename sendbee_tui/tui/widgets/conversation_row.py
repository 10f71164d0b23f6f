"""What a conversation row says: its two lines, drawn from the model and the time.

Pure functions, no widget: :class:`~.conversation_list.ConversationList` draws
rows with them and caches the strips; other screens reuse the relative times
and the 24-hour window label.  Customer text is literal
:class:`~textual.content.Content` throughout, measured in terminal cells.
"""

from __future__ import annotations

from textual.content import Content

from sendbee_tui.api import Conversation
from sendbee_tui.tui.inbox.conversations import activity, last_inbound, window_left

__all__ = [
    "STATUS_MARKS",
    "RowMark",
    "direction_mark",
    "relative_time",
    "row_content",
    "window_label",
]

#: A mark on a row's second line, before the preview: (text, style) — a draft, a queued send.
RowMark = tuple[str, str]

STATUS_MARKS = {
    "sent": "✓",
    "delivered": "✓✓",
    "read": "✓✓",
    "failed": "✗",
    "pending": "…",
    "queued": "…",
}


def relative_time(when: float | None, now: float) -> str:
    """Compact age like a mail client: ``now``, ``5m``, ``3h``, ``2d``, ``12w``."""
    if not when:
        return ""
    delta = max(0, int(now - when))
    if delta < 60:
        return "now"
    if delta < 3600:
        return f"{delta // 60}m"
    if delta < 86400:
        return f"{delta // 3600}h"
    if delta < 86400 * 14:
        return f"{delta // 86400}d"
    return f"{delta // (86400 * 7)}w"


def window_label(conv: Conversation, now: float) -> tuple[str, str]:
    """(text, style) for the 24-hour window: time left, or closed."""
    left = window_left(conv, now)
    if left is None:
        return ("closed", "$text-muted")
    hours, rem = divmod(int(left), 3600)
    text = f"{hours}h{rem // 60:02d}" if hours else f"{rem // 60}m"
    style = "$warning" if left < 3 * 3600 else "$success"
    return (f"◷{text}", style)


def direction_mark(conv: Conversation) -> tuple[str, str]:
    """Arrow and tick of the last message: who wrote last, and its delivery status."""
    lm = conv.last_message
    direction = (lm.direction or "").lower()
    status = (lm.status or "").lower()
    if direction == "outbound":
        mark = STATUS_MARKS.get(status, "→")
        style = "$error" if status == "failed" else ("$accent" if status == "read" else "")
        return (f"→{mark}", style)
    if direction == "inbound":
        return ("←", "$secondary")
    return ("·", "")


def row_content(
    conv: Conversation,
    preview: str | None,
    unread: bool,
    now: float,
    width: int,
    marks: tuple[RowMark, ...] = (),
) -> tuple[Content, Content]:
    """The two lines of a row, as Content (all customer text literal).

    Widths are terminal cells throughout (``Content.cell_length``), never
    code points: names in CJK, Devanagari or with emoji must line up.
    """
    contact = conv.contact
    name = contact.name or contact.phone or "(unknown)"
    right_parts: list[tuple[str, str] | str] = []
    if conv.chatbot_active:
        right_parts += [("bot", "$accent"), " "]
    right_parts += [window_label(conv, now), " "]
    right_parts.append((relative_time(activity(conv), now).rjust(3), "$text-muted"))
    right = Content.assemble(*right_parts)
    room = max(1, width - right.cell_length - 2)
    phone = contact.phone or ""
    show_phone = bool(phone) and name != phone
    if show_phone and Content(name).cell_length + Content(phone).cell_length + 4 > room:
        show_phone = room >= 40
    left = Content.assemble(
        ("● " if unread else "  ", "$accent bold"),
        (name, "bold" if unread else ""),
        "  " if show_phone else "",
        (phone if show_phone else "", "$text-muted"),
    )
    line1 = Content.assemble(left.truncate(room, ellipsis=True, pad=True), " ", right, " ")
    mark, mark_style = direction_mark(conv)
    if preview is None:
        text: Content = Content("…").stylize("$text-muted")
    elif not preview and last_inbound(conv) is None and conv.last_message.direction is None:
        text = Content("(no messages)").stylize("$text-muted")
    else:
        text = Content(" ".join(preview.split()))
        if not unread:
            text = text.stylize("$text-muted")
    mark_parts: list[Content | str | tuple[str, str]] = []
    for mark_text, mark_text_style in marks:
        mark_parts += [(mark_text, mark_text_style), " "]
    line2 = Content.assemble("  ", (mark.ljust(3), mark_style), " ", *mark_parts, text)
    return line1, line2.truncate(max(1, width - 1), ellipsis=True)
