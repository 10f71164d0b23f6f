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

    account: reactive[str] = reactive("")
    demo: reactive[bool] = reactive(False)
    state: reactive[str] = reactive("connecting")
    detail: reactive[str] = reactive("")
    retry_at: reactive[float | None] = reactive(None)
    last_sync: reactive[float | None] = reactive(None)
    unread: reactive[int] = reactive(0)

    def __init__(self, *, clock: Callable[[], float] = time.time, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.clock = clock

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._tick()

    def _tick(self) -> None:
        self.update(self.build())

    def watch_state(self) -> None:
        self._tick()

    def watch_unread(self) -> None:
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
            parts += ["  ", (f"{self.unread} unread", "bold $accent")]
        return Content.assemble(*parts)


class FolderTabs(Static):
    """``1 Open 12  2 Done 3 …`` — the folder switcher (keys 1-4, or click)."""

    DEFAULT_CSS = """
    FolderTabs { height: 1; background: $surface; padding: 0 1; }
    """

    folder: reactive[str] = reactive("open")
    counts: reactive[dict[str, int]] = reactive(dict, always_update=True)
    search: reactive[str] = reactive("")
    flags: reactive[str] = reactive("")

    class Clicked(Message):
        def __init__(self, folder: str) -> None:
            super().__init__()
            self.folder = folder

    def render(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for i, (key, label) in enumerate(FOLDER_LABELS, 1):
            count = self.counts.get(key)
            text = f"{i} {label}" + (f" {count}" if count is not None else "")
            style = "bold reverse $accent" if key == self.folder else "$text-muted"
            start = len(Content.assemble(*parts).plain) if parts else 0
            parts.append((f" {text} ", style))
            parts.append(" ")
            del start
        if self.search:
            parts += [("/", "bold"), (self.search, "italic"), " "]
        if self.flags:
            parts.append((self.flags, "$warning"))
        return Content.assemble(*parts)

    def on_click(self, event: Click) -> None:
        x = event.x - 1
        pos = 0
        for i, (key, label) in enumerate(FOLDER_LABELS, 1):
            count = self.counts.get(key)
            width = len(f" {i} {label}" + (f" {count}" if count is not None else "") + " ") + 1
            if pos <= x < pos + width:
                self.post_message(self.Clicked(key))
                return
            pos += width
