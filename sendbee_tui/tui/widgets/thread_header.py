"""The line above the thread: who, the 24-hour window, bot, phone, folder.

At 80 columns the line has about 44 cells; cutting it at the end would cut the
one thing the agent must see before typing — whether the window is closed.  So
the parts have a priority and the header drops the least important ones first
(folder, then phone, then bot), then shortens the window label, and only then
truncates the name (by terminal cells, so wide and combining characters fit).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content
from textual.widgets import Static

from sendbee_tui.api import Conversation
from sendbee_tui.tui.inbox.conversations import window_left

__all__ = ["ThreadHeader", "header_content"]

_SEPARATOR = "  "


@dataclass(frozen=True)
class _Part:
    text: str
    style: str
    #: Lower goes first when the line is too narrow.
    keep: int


def _window(conv: Conversation, now: float, *, short: bool) -> tuple[str, str]:
    left = window_left(conv, now)
    if left is None:
        return ("window closed" if not short else "closed", "$text-muted")
    hours, rem = divmod(int(left), 3600)
    span = f"{hours}h{rem // 60:02d}" if hours else f"{rem // 60}m"
    style = "$warning" if left < 3 * 3600 else "$success"
    return (f"window open {span}" if not short else f"◷{span}", style)


def header_content(conv: Conversation, now: float, width: int) -> Content:
    """The header for ``conv`` in ``width`` cells (0: no limit)."""
    name = conv.contact.name or "(no name)"
    window_text, window_style = _window(conv, now, short=False)
    parts = [
        _Part(name, "bold", 9),
        _Part(conv.contact.phone or "", "$text-muted", 3),
        _Part(window_text, window_style, 8),
        _Part(
            "bot on" if conv.chatbot_active else "bot off",
            "$accent" if conv.chatbot_active else "$text-muted",
            5,
        ),
        _Part(conv.folder or "", "$text-muted", 1),
    ]
    parts = [p for p in parts if p.text]

    def line(items: list[_Part]) -> Content:
        return Content(_SEPARATOR).join(Content.styled(p.text, p.style) for p in items)

    if width <= 0:
        return line(parts)
    # Drop the least important parts (never the name or the window) until it fits.
    for keep in (1, 3, 5):
        if line(parts).cell_length <= width:
            return line(parts)
        parts = [p for p in parts if p.keep > keep]
    if line(parts).cell_length > width:
        short_text, short_style = _window(conv, now, short=True)
        parts = [_Part(short_text, short_style, 8) if p.keep == 8 else p for p in parts]
    content = line(parts)
    if content.cell_length <= width:
        return content
    # Still too wide: the name gives way, by cells, and the window stays whole.
    window = parts[-1]
    room = max(1, width - Content(window.text).cell_length - len(_SEPARATOR))
    name_part = Content.styled(name, "bold").truncate(room, ellipsis=True)
    return Content.assemble(name_part, _SEPARATOR, Content.styled(window.text, window.style))


class ThreadHeader(Static):
    """Header of the open conversation; re-laid out when its width changes."""

    DEFAULT_CSS = """
    ThreadHeader { height: 1; padding: 0 1; background: $panel; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(""), id=id)
        self._conv: Conversation | None = None
        self._now = 0.0

    def show(self, conv: Conversation | None, now: float) -> None:
        """Show ``conv`` as of ``now`` (None clears the header)."""
        self._conv = conv
        self._now = now
        self._update()

    def _update(self) -> None:
        if self._conv is None:
            self.update(Content(""))
            return
        self.update(header_content(self._conv, self._now, self.content_region.width))

    def on_resize(self) -> None:
        self._update()
