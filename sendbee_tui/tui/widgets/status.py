"""Header/status line and folder tabs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

FOLDER_LABELS = (("open", "Open"), ("done", "Done"), ("spam", "Spam"), ("notified", "Notified"))


class StatusLine(Static):
    """Account/DEMO, connection state with retry countdown, last sync, unread count."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    # repaint=False: the line is drawn by _tick, which redraws only when its text
    # changes (a new sync time to the millisecond used to repaint "synced 10:56:15"
    # once per request of a poll).
    account: reactive[str] = reactive("", repaint=False)
    demo: reactive[bool] = reactive(False, repaint=False)
    state: reactive[str] = reactive("connecting", repaint=False)
    detail: reactive[str] = reactive("", repaint=False)
    retry_at: reactive[float | None] = reactive(None, repaint=False)
    last_sync: reactive[float | None] = reactive(None, repaint=False)
    unread: reactive[int] = reactive(0, repaint=False)
    #: The unread count is a lower bound (some folder was not fully looked at).
    unread_partial: reactive[bool] = reactive(False, repaint=False)
    #: Replies waiting for the agent (failed, unconfirmed), in every conversation.
    needs_you: reactive[int] = reactive(0, repaint=False)
    #: The keys that open the outbox screen, as the keymap has them ("g o").
    outbox_keys: reactive[str] = reactive("g o", repaint=False)

    def __init__(self, *, clock: Callable[[], float] = time.time, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.clock = clock
        #: (text, spans) of what is shown: ``Content ==`` compares the text only.
        self._shown: tuple[str, tuple[object, ...]] | None = None

    def on_mount(self) -> None:
        # The line only changes by itself while a "retrying in N s" countdown runs;
        # the tick redraws nothing unless the text (or its styles) changed.
        self.set_interval(1.0, self._tick)
        self._tick()

    def _tick(self) -> None:
        content = self.build()
        shown = (content.plain, tuple(content.spans))
        if shown != self._shown:
            self._shown = shown
            # One line high and as wide as the screen: no layout needed.
            self.update(content, layout=False)

    def watch_state(self) -> None:
        self._tick()

    def watch_unread(self) -> None:
        self._tick()

    def watch_unread_partial(self) -> None:
        self._tick()

    def watch_needs_you(self) -> None:
        self._tick()

    def build(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        if self.demo:
            parts += [(" DEMO ", "bold $text on $warning"), " "]
        parts += [("sendbee", "bold"), " ", (self.account, "$text-muted"), "  "]
        if self.state == "online":
            parts.append(("● online", "$success"))
        elif self.state in ("retrying", "offline"):
            label = "retrying" if self.state == "retrying" else "offline"
            if self.retry_at is not None:
                left = max(0, round(self.retry_at - time.monotonic()))
                parts.append((f"● {label} · retrying in {left} s", "$error"))
            else:
                parts.append((f"● {label}", "$error"))
            if self.detail:
                detail = self.detail if len(self.detail) <= 40 else self.detail[:39] + "…"
                parts += ["  ", (detail, "$text-muted")]
        else:
            parts.append(("● connecting…", "$warning"))
        if self.last_sync:
            parts += [
                "  ",
                (
                    "synced " + datetime.fromtimestamp(self.last_sync).strftime("%H:%M:%S"),
                    "$text-muted",
                ),
            ]
        if self.unread:
            plus = "+" if self.unread_partial else ""
            parts += ["  ", (f"{self.unread}{plus} unread", "bold $accent")]
        if self.needs_you:
            count = self.needs_you
            replies = f"{count} repl{'ies' if count != 1 else 'y'} need{'s' if count == 1 else ''}"
            parts += ["  ", (f"⚠ {replies} you ({self.outbox_keys})", "bold $warning")]
        return Content.assemble(*parts)


class FolderTabs(Static):
    """``1 Open 12 ●3  2 Done 3 …`` — the folder switcher (keys 1-4, or click) with
    each folder's total and unread conversations."""

    DEFAULT_CSS = """
    FolderTabs { height: 1; background: $surface; padding: 0 1; }
    """

    folder: reactive[str] = reactive("open")
    counts: reactive[dict[str, int]] = reactive(dict, always_update=True)
    unread: reactive[dict[str, int]] = reactive(dict, always_update=True)
    flags: reactive[str] = reactive("")

    class Clicked(Message):
        def __init__(self, folder: str) -> None:
            super().__init__()
            self.folder = folder

    def _tab(self, index: int, key: str, label: str) -> Content:
        count = self.counts.get(key)
        text = f" {index} {label}" + (f" {count}" if count is not None else "")
        selected = key == self.folder
        style = "bold reverse $accent" if selected else "$text-muted"
        unread = self.unread.get(key, 0)
        if not unread:
            return Content.styled(text + " ", style)
        dot_style = "bold reverse $accent" if selected else "bold $accent"
        return Content.assemble((text, style), (f" ●{unread} ", dot_style))

    def render(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for i, (key, label) in enumerate(FOLDER_LABELS, 1):
            parts += [self._tab(i, key, label), " "]
        if self.flags:
            parts.append((self.flags, "$warning"))
        return Content.assemble(*parts)

    def on_click(self, event: Click) -> None:
        x = event.x - 1
        pos = 0
        for i, (key, label) in enumerate(FOLDER_LABELS, 1):
            width = self._tab(i, key, label).cell_length + 1
            if pos <= x < pos + width:
                self.post_message(self.Clicked(key))
                return
            pos += width
