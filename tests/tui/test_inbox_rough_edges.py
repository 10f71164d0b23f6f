"""Rough edges of the inbox: toasts vs the composer, wide and combining characters,
the thread header at 80 columns, the catch-up after an outage."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from inbox_helpers import make_app, ready, screen_text, wait_for
from textual.widgets._toast import Toast

from sendbee_tui.tui.inbox import window_left
from sendbee_tui.tui.widgets.status import StatusLine
from sendbee_tui.tui.widgets.thread_header import ThreadHeader


def terminal_width(text: str) -> int:
    """Columns a terminal (glibc wcwidth, tmux, xterm, VTE) advances for ``text``.

    Written from the Unicode data, independently of Rich's tables: non-spacing
    and enclosing marks and format characters take none, East Asian wide and
    full-width characters two, everything else — spacing marks included — one.
    """
    width = 0
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Mn", "Me", "Cf") or (category == "Mc" and unicodedata.combining(ch)):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


async def test_toasts_leave_the_composer_visible_at_80x24(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("enter")
        for i in range(3):
            app.notify(f"Notification {i} " + "with a rather long text " * 4, markup=False)
        await wait_for(pilot, lambda: len(app.screen.query(Toast)) >= 3)
        await pilot.pause()
        composer = main.composer.region
        assert composer.height >= 3
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(composer), (toast.region, composer)
            assert toast.region.height <= 4


async def test_cjk_survives_a_toast_over_pane_borders(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("i")  # the contact pane: its border runs under the toast
        # One ASCII letter first: on one of the two wrapped lines a two-cell
        # character then straddles the pane border, whatever the toast's x.
        message = "a" + "預約會議室明天下午三點請確認謝謝您的幫助" * 2
        app.notify(message, title="王小明", markup=False, timeout=30)
        await wait_for(pilot, lambda: len(app.screen.query(Toast)) == 1)
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        pane = app.main_screen.contact_pane.region
        assert toast.region.x < pane.x < toast.region.right  # the border is under it
        text = screen_text(app)
        lost = [ch for ch in set(message) if text.count(ch) < message.count(ch)]
        assert not lost


async def test_rows_with_devanagari_and_cjk_names_keep_their_width(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    fresh_sandbox.inbound("+919876543210", "नमस्ते, मेरा ऑर्डर कहाँ है?", name="अनुष्का शर्मा")
    fresh_sandbox.inbound("+8613800001111", "你好，我想预约明天下午三点的会议室", name="王小明")  # noqa: RUF001
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await wait_for(
            pilot,
            lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows[:2]),
        )
        await pilot.pause()
        lines = [line for line in screen_text(app).split("\n") if line]
        assert any("अनुष्का शर्मा" in line for line in lines)
        assert any("王小明" in line for line in lines)
        for line in lines:
            assert terminal_width(line) == 120, line


async def test_thread_header_keeps_window_closed_at_80_columns(
    sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = next(c for c in main.conv_list.rows if window_left(c, now) is None)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        header = main.query_one(ThreadHeader)
        await pilot.pause()
        line = [row for row in screen_text(app).split("\n") if row][header.region.y]
        assert "window closed" in line
        assert (conv.contact.name or "")[:4] in line


async def test_catch_up_counts_only_what_happened_during_the_gap(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """A message that arrived before the outage, in a poll still in flight when the
    outage began, is not news from the outage; and the words have no "(s)"."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        status = main.query_one(StatusLine)
        await pilot.press("enter")  # the open thread polls too: it notices the outage
        await wait_for(pilot, lambda: main.thread.messages)
        conversations = app.inbox.client.conversations
        original = conversations.list
        armed = True

        async def outage_during_list_poll(*args: Any, **kwargs: Any) -> Any:
            nonlocal armed
            page = await original(*args, **kwargs)
            if armed and kwargs.get("folder") == "open" and kwargs.get("page") == 1:
                armed = False
                fresh_sandbox.set_faults(error_rate=1.0)
                # Hold this (successful) answer until another request has failed.
                while app.inbox.connection.state != "offline":
                    await pilot.pause(0.02)
            return page

        writer = main.conv_list.rows[-1]
        fresh_sandbox.inbound(writer.contact.phone, "sent before the outage")
        conversations.list = outage_during_list_poll
        await wait_for(pilot, lambda: not armed and status.state == "offline")
        await wait_for(pilot, lambda: main.conv_list.rows[0].id == writer.id)
        catch_ups = [n for n in app._notifications if n.title == "Catch-up"]
        assert not catch_ups  # nothing to summarise while still offline
        fresh_sandbox.set_faults(error_rate=0.0)
        app.inbox.wake()
        await wait_for(
            pilot, lambda: any(n.title == "Catch-up" for n in app._notifications), timeout=30
        )
        summary = next(str(n.message) for n in app._notifications if n.title == "Catch-up")
        assert summary.endswith("nothing changed."), summary
        # Something that does happen during an outage is counted, in plain words.
        fresh_sandbox.set_faults(error_rate=1.0)
        await wait_for(pilot, lambda: status.state == "offline")
        fresh_sandbox.inbound(main.conv_list.rows[3].contact.phone, "during the outage")
        fresh_sandbox.set_faults(error_rate=0.0)
        app.inbox.wake()
        await wait_for(
            pilot,
            lambda: len([n for n in app._notifications if n.title == "Catch-up"]) == 2,
            timeout=30,
        )
        summary = [str(n.message) for n in app._notifications if n.title == "Catch-up"][-1]
        assert "1 conversation with new customer messages" in summary, summary
        assert "(s)" not in summary
