"""SVG snapshots of the main screen at 80x24 and 160x48.

Deterministic: the sandbox and the app share one fixed clock, the sandbox data
is seeded, times are shown in UTC and no cursor blinks.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from inbox_helpers import make_app, ready, wait_for

from sendbee_tui.config import Settings
from sendbee_tui.sandbox import SandboxServer

FIXED_NOW = 1_795_000_000.0  # 2026-11-18 UTC, a fixed "now"
SLOW = Settings(poll_list_seconds=30, poll_thread_seconds=30, page_size=50)


@pytest.fixture(scope="module")
def fixed_sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(clock=lambda: FIXED_NOW)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _app(server: SandboxServer, tmp_path: Path) -> Any:
    return make_app(server, tmp_path, settings=SLOW, clock=lambda: FIXED_NOW)


def _previews_on_screen(app: Any) -> bool:
    """Every row on screen has its preview, not just the first few: the screenshot shows
    them all (around a dialog too)."""
    main = app.main_screen
    on_screen = -(-main.conv_list.scrollable_content_region.height // 2)
    rows = main.conv_list.rows[:on_screen]
    return bool(rows) and all(app.inbox.preview(c) is not None for c in rows)


async def _open_first(pilot: Any) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: ready(app))
    main = app.main_screen
    await wait_for(pilot, lambda: _previews_on_screen(app))
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: (
            main.thread.messages
            and (main.contact_pane.contact is not None or not main.contact_pane.display)
        ),
    )
    await wait_for(pilot, lambda: len(main.query_one("FolderTabs").counts) == 4)
    # A short thread fetches older pages until the pane is full: wait for that to settle.
    thread = main.thread
    await wait_for(
        pilot,
        lambda: (
            not app.inbox.loading_older
            and (
                not thread.has_older
                or len(thread._lines) >= thread.scrollable_content_region.height
            )
        ),
    )
    await pilot.pause()


def test_main_screen_80x24(snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path) -> None:
    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(80, 24), run_before=_open_first
    )


def test_main_screen_160x48(
    snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(160, 48), run_before=_open_first
    )


def test_help_screen_80x24(snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path) -> None:
    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: ready(pilot.app))
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(80, 24), run_before=run_before
    )


async def _filtered(pilot: Any) -> None:
    """A search and a filter active, a draft and an unread mark on rows, a toast."""
    await _open_first(pilot)
    app = pilot.app
    main = app.main_screen
    # Every preview of the folder in: the search's "text: N loaded" is then exact.
    app.inbox.request_previews(list(app.inbox.lists.known))
    await wait_for(
        pilot,
        lambda: all(app.inbox.preview(c) is not None for c in app.inbox.lists.known.values()),
    )
    await pilot.press("r", *"Draft reply", "escape")
    main.conv_list.move_to(main.conv_list.rows[2].id)
    await pilot.press("u")
    await pilot.press("f", "down", "right", "enter")  # chatbot: on
    await wait_for(pilot, lambda: app.inbox.filter.bot is True)
    await pilot.press("slash", *"a")
    await wait_for(pilot, lambda: app.inbox.view.search == "a")
    await wait_for(pilot, lambda: bool(main.conv_list.rows))
    await pilot.press("enter")
    await wait_for(
        pilot, lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows)
    )
    app.notify("Nothing is unread.", markup=False, timeout=60)
    await pilot.pause()


def test_filtered_list_80x24(
    snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert snap_compare(_app(fixed_sandbox, tmp_path), terminal_size=(80, 24), run_before=_filtered)


def test_filtered_list_160x48(
    snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(160, 48), run_before=_filtered
    )


async def _filter_dialog(pilot: Any) -> None:
    await wait_for(pilot, lambda: ready(pilot.app) and _previews_on_screen(pilot.app))
    await pilot.press("f")
    await wait_for(pilot, lambda: pilot.app.screen is not pilot.app.main_screen)
    await pilot.press("down", "right", "right", "down", "right", "right")  # bot off; closing
    await pilot.pause()


def test_filter_dialog_80x24(
    snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(80, 24), run_before=_filter_dialog
    )


def test_filter_dialog_160x48(
    snap_compare: Any, fixed_sandbox: SandboxServer, tmp_path: Path
) -> None:
    assert snap_compare(
        _app(fixed_sandbox, tmp_path), terminal_size=(160, 48), run_before=_filter_dialog
    )
