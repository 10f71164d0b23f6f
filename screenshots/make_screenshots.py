"""Write SVG screenshots of the inbox's main screens into ``screenshots/``.

Uses the sandbox with a fixed clock and seeded data, so the pictures are the same
on every run.  Usage:  python screenshots/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.screens.contacts import save_contact_form_screenshot
from sendbee_tui.tui.screens.templates import save_template_form_screenshot

OUT = Path(__file__).resolve().parent
FIXED_NOW = 1_795_000_000.0


async def _until(pilot: Any, predicate: Callable[[], Any], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("screen did not become ready")
        await pilot.pause(0.02)


async def _settled_thread(pilot: Any) -> None:
    """A short thread fetches older pages until the pane is full: wait for that."""
    thread = pilot.app.main_screen.thread
    await _until(
        pilot,
        lambda: (
            not pilot.app.inbox.loading_older
            and (
                not thread.has_older
                or len(thread._lines) >= thread.scrollable_content_region.height
            )
        ),
    )
    await pilot.pause()


async def _ready(pilot: Any) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.main_screen is not None and app.main_screen.conv_list.rows)
    main = app.main_screen
    await _until(
        pilot, lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows[:10])
    )
    await _until(pilot, lambda: len(main.query_one("FolderTabs").counts) == 4)


async def inbox_open(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("enter")
    main = pilot.app.main_screen
    await _until(pilot, lambda: main.thread.messages)
    await _until(
        pilot, lambda: main.contact_pane.contact is not None or not main.contact_pane.display
    )
    await _settled_thread(pilot)


async def composing(pilot: Any) -> None:
    await _ready(pilot)
    main = pilot.app.main_screen
    now = pilot.app.inbox.clock()
    from sendbee_tui.tui.inbox import window_left

    target = next(c for c in main.conv_list.rows if window_left(c, now) and not c.chatbot_active)
    main.conv_list.move_to(target.id)
    await pilot.press("enter")
    await _until(pilot, lambda: main.thread.messages)
    await _settled_thread(pilot)
    await pilot.press("r", *"Thanks! Your order ships tomorrow.", "ctrl+j", *"Tracking: ")
    await pilot.pause()


async def window_closed(pilot: Any) -> None:
    await _ready(pilot)
    main = pilot.app.main_screen
    now = pilot.app.inbox.clock()
    from sendbee_tui.tui.inbox import window_left

    target = next(c for c in main.conv_list.rows if window_left(c, now) is None)
    main.conv_list.move_to(target.id)
    await pilot.press("enter")
    await _until(pilot, lambda: main.thread.messages)
    await _settled_thread(pilot)


async def help_screen(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


SHOTS: list[tuple[str, tuple[int, int], Callable[[Any], Awaitable[None]]]] = [
    ("inbox-160x48.svg", (160, 48), inbox_open),
    ("inbox-80x24.svg", (80, 24), inbox_open),
    ("composer-120x36.svg", (120, 36), composing),
    ("window-closed-120x36.svg", (120, 36), window_closed),
    ("help-100x40.svg", (100, 40), help_screen),
]


async def shoot(server: SandboxServer, tmp: Path) -> None:
    for name, size, steps in SHOTS:
        config = AppConfig(
            paths=Paths(tmp / name / "config", tmp / name / "data"),
            profile=Profile("demo", server.api_key, server.api_secret, server.base_url),
            settings=Settings(poll_list_seconds=60, poll_thread_seconds=60),
            demo=True,
            clock=lambda: FIXED_NOW,
        )
        app = SendbeeApp(config)
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            app.save_screenshot(filename=name, path=str(OUT))
        print(f"wrote {OUT / name}")  # noqa: T201


def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(clock=lambda: FIXED_NOW) as server:
        asyncio.run(shoot(server, Path(tmp)))
        # The forms of issue 5 have their own screenshot functions, kept beside the screens.
        written = save_template_form_screenshot(
            str(OUT / "template_form.svg"),
            base_url=server.base_url,
            api_key=server.api_key,
            api_secret=server.api_secret,
        )
        print(f"wrote {written}")  # noqa: T201
    print(f"wrote {asyncio.run(save_contact_form_screenshot(OUT / 'contact_form.svg'))}")  # noqa: T201


if __name__ == "__main__":
    main()
