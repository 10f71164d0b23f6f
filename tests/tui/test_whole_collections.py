"""Whole collections in the inbox: the window sort loads the whole folder, Home the
whole thread, each laid out one batch of pages at a time; and what the inbox does
not redraw when nothing changed (real sandbox over loopback)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from inbox_helpers import make_app, ready, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.inbox.batches import apply_in_batches
from sendbee_tui.tui.inbox.conversations import activity, model_id, window_left
from sendbee_tui.tui.widgets.status import StatusLine

# ---------------------------------------------------------------------- batching


async def _pages(plan: list[int | str], closed: list[bool]) -> AsyncIterator[int]:
    """Yield the ints of ``plan``; ``"turn"`` lets the event loop run in between."""
    try:
        for step in plan:
            if step == "turn":
                await asyncio.sleep(0)
            elif step == "boom":
                raise RuntimeError("connection lost")
            else:
                assert isinstance(step, int)
                yield step
    finally:
        closed.append(True)


async def test_pages_handed_over_back_to_back_are_applied_as_one_batch() -> None:
    batches: list[list[int]] = []
    closed: list[bool] = []
    count = await apply_in_batches(
        _pages([1, 2, 3, "turn", 4, "turn", "turn", 5, 6], closed), batches.append, interval=0
    )
    assert batches == [[1, 2, 3], [4], [5, 6]]
    assert count == 3 and closed == [True]


async def test_batches_come_at_most_once_per_interval_the_first_at_once() -> None:
    batches: list[list[int]] = []
    await apply_in_batches(
        _pages([1, "turn", 2, "turn", 3, "turn", 4], []), batches.append, interval=60
    )
    assert batches == [[1], [2, 3, 4]]


async def test_stop_cancels_the_rest_and_pages_before_an_error_still_count() -> None:
    batches: list[list[int]] = []
    closed: list[bool] = []
    await apply_in_batches(
        _pages([1, 2, "turn", 3, 4], closed), batches.append, stop=lambda: bool(batches)
    )
    assert batches == [[1, 2], [3]] and closed == [True]  # 4 was never fetched

    batches.clear()
    with pytest.raises(RuntimeError, match="connection lost"):
        await apply_in_batches(_pages([1, 2, "boom"], []), batches.append)
    await asyncio.sleep(0)
    assert batches == [[1, 2]]


# ---------------------------------------------------------------------- the app


@pytest.fixture(scope="module")
def big_sandbox() -> Iterator[SandboxServer]:
    """More conversations than two pages of 50 in Open, and a 120-message thread."""
    server = SandboxServer(
        contacts=260, conversations=260, messages_per_conversation=2, big_thread_messages=120
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _big_thread(server: SandboxServer) -> str:
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT conversation_id FROM messages GROUP BY conversation_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        return str(row[0])
    finally:
        conn.close()


async def test_window_sort_orders_every_conversation_of_the_folder(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    async with SendbeeClient(
        big_sandbox.api_key, big_sandbox.api_secret, big_sandbox.base_url
    ) as client:
        everything = await client.conversations.list_all(folder="open")
        done = await client.conversations.list_all(folder="done")
    assert len(everything) > 100  # three pages of 50: more than the first poll shows
    assert len(done) > 50
    app = make_app(big_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main, inbox = app.main_screen, app.inbox
        assert main is not None and inbox is not None
        assert inbox.has_more()
        await pilot.press("s")
        await wait_for(
            pilot, lambda: not inbox.has_more() and len(main.conv_list.rows) == len(everything)
        )
        rows = main.conv_list.rows
        assert {model_id(c) for c in rows} == {model_id(c) for c in everything}
        now = inbox.clock()
        lefts = [window_left(c, now) for c in rows]
        open_count = sum(left is not None for left in lefts)
        opened = [left for left in lefts[:open_count] if left is not None]
        assert len(opened) == open_count  # open windows first
        assert opened == sorted(opened)  # closing soonest first
        closed = [activity(c) for c in rows[open_count:]]
        assert closed == sorted(closed, reverse=True)  # then the rest, most recent first
        # Another folder while the sort is on: all of it is loaded too.
        await pilot.press("2")
        await wait_for(pilot, lambda: inbox.view.folder == "done")
        await wait_for(
            pilot, lambda: not inbox.has_more() and len(main.conv_list.rows) == len(done)
        )
        assert {model_id(c) for c in main.conv_list.rows} == {model_id(c) for c in done}
        await pilot.press("1")
        await wait_for(
            pilot,
            lambda: inbox.view.folder == "open" and len(main.conv_list.rows) == len(everything),
        )
        # Back to most recent first: every row stays, in the server's order.
        await pilot.press("s")
        await wait_for(pilot, lambda: inbox.view.sort == "recent")
        await pilot.pause()
        recent = [activity(c) for c in main.conv_list.rows]
        assert recent == sorted(recent, reverse=True) and len(recent) == len(everything)


async def test_home_loads_every_page_of_the_thread_and_shows_the_oldest(
    big_sandbox: SandboxServer, tmp_path: Path
) -> None:
    conv_id = _big_thread(big_sandbox)
    async with SendbeeClient(
        big_sandbox.api_key, big_sandbox.api_secret, big_sandbox.base_url
    ) as client:
        oldest_first = list(reversed(await client.conversations.messages_all(conv_id)))
    assert len(oldest_first) == 120
    app = make_app(big_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert main is not None and app.inbox is not None
        if not main.conv_list.move_to(conv_id):
            await app.inbox.lists.load_all()
            await wait_for(pilot, lambda: main.conv_list.move_to(conv_id))
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: main.thread.conversation_id == conv_id and main.thread.messages
        )
        assert main.thread.has_older
        main.thread.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: not main.thread.has_older)
        await pilot.pause()
        assert [m.id for m in main.thread.messages] == [m.id for m in oldest_first]
        assert main.thread.scroll_y == 0  # the oldest message is on screen
        assert main.thread.plain_lines[0].strip()  # a day separator or the first message


# ---------------------------------------------------------------------- no needless redraws


async def test_the_status_line_and_the_clock_tick_redraw_only_what_changed(
    sandbox: Any, tmp_path: Path
) -> None:
    now = [1_900_000_000.0]
    app = make_app(sandbox, tmp_path, clock=lambda: now[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.pause()
        main = app.main_screen
        assert main is not None
        status = main.query_one(StatusLine)
        updates: list[object] = []
        original_update = status.update

        def update(*args: Any, **kwargs: Any) -> None:
            updates.append(args)
            original_update(*args, **kwargs)

        status.update = update  # type: ignore[method-assign]
        status._tick()
        status._tick()
        assert updates == []  # the same text: nothing redrawn
        status.unread += 1
        assert len(updates) == 1

        rows: list[int] = []
        original_row = main.conv_list._refresh_row
        main.conv_list._refresh_row = rows.append  # type: ignore[method-assign,assignment]
        main._tick()
        assert rows == []  # every row still reads the same
        now[0] += 7 * 24 * 3600  # a week later every "5m" and window countdown differs
        main._tick()
        assert rows and len(rows) == len(set(rows))
        main.conv_list._refresh_row = original_row  # type: ignore[method-assign]
