"""Triage in the inbox, driven by keys against the real sandbox: one unread truth,
row marks, ``n``, undo with ``z``, actions on an empty list, the cursor under arrivals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox_helpers import make_app, ready, screen_text, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.widgets.status import FolderTabs, StatusLine


async def server_folder(server: Any, conv_id: str) -> str | None:
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        return (await client.conversations.get(conv_id)).folder


def in_folder(main: Any, folder: str) -> bool:
    return all(c.folder == folder for c in main.conv_list.rows)


def toasts(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def counted(pilot: Any) -> None:
    """Wait until every folder's first page is in (the account-wide count covers them)."""
    app = pilot.app
    await wait_for(pilot, lambda: ready(app))
    await wait_for(pilot, lambda: len(app.main_screen.query_one(FolderTabs).counts) == 4)
    await wait_for(pilot, lambda: len(app.inbox.lists.tally.heads) == 4)


async def test_unread_count_is_the_same_in_every_view(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await counted(pilot)
        main = app.main_screen
        status = main.query_one(StatusLine)
        tabs = main.query_one(FolderTabs)
        # One unread in Open (a customer writes), one in Done (marked unread there).
        conv = main.conv_list.rows[-1]
        fresh_sandbox.inbound(conv.contact.phone, "Where is my parcel?")
        await wait_for(pilot, lambda: status.unread == 1)
        await pilot.press("2")
        await wait_for(pilot, lambda: bool(main.conv_list.rows) and in_folder(main, "done"))
        assert status.unread == 1  # not the Done view's own count
        done_conv = main.conv_list.highlighted
        await pilot.press("u")
        await wait_for(pilot, lambda: status.unread == 2)
        assert tabs.unread == {"open": 1, "done": 1, "spam": 0, "notified": 0}
        assert "●1" in tabs.render().plain
        await pilot.press("1")
        await wait_for(pilot, lambda: bool(main.conv_list.rows) and in_folder(main, "open"))
        assert status.unread == 2
        # A search shows few rows; the count stays.
        await pilot.press("slash", *"zzzz-nobody")
        await wait_for(pilot, lambda: app.inbox.view.search == "zzzz-nobody")
        await wait_for(pilot, lambda: not main.conv_list.rows)
        assert status.unread == 2
        assert app.title.startswith("(2)")
        assert "2 unread" in screen_text(app)
        assert done_conv.id in app.inbox.lists.unread_ids()


async def test_draft_and_send_state_marks_on_rows(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        first, second = main.conv_list.rows[0], main.conv_list.rows[1]
        await pilot.press("enter", "r", *"half a reply", "escape")
        assert app.inbox.row_marks(first) == (("✎", "$warning"),)
        # The outbox's hook: a failed send shows on its row.
        app.inbox.send_state = lambda conv_id: "failed" if conv_id == second.id else None
        main.conv_list.refresh_rows()
        await pilot.pause()
        lines = screen_text(app).splitlines()
        row_lines = [line for line in lines if "✎" in line or "not sent" in line]
        assert any("✎" in line for line in row_lines)
        assert any("✗ not sent" in line for line in row_lines)
        # Emptying the composer takes the mark away on screen (the row is repainted
        # when its mark changes, not on every key).
        main.conv_list.move_to(first.id)
        await pilot.press("enter", "r", *["backspace"] * len("half a reply"))
        await wait_for(pilot, lambda: app.inbox.row_marks(first) == ())
        await pilot.pause()
        assert not any("✎" in line for line in screen_text(app).splitlines())


async def test_n_considers_the_highlighted_row_first(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        rows = main.conv_list.rows
        main.conv_list.move_to(rows[2].id)
        await pilot.press("u")  # unread, and highlighted
        main.conv_list.move_to(rows[5].id)
        await pilot.press("u")
        main.conv_list.move_to(rows[5].id)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.inbox.current_id == rows[5].id)
        # Now rows[5] is read and open: the next n goes on to rows[2] (wrapping).
        await pilot.press("n")
        await wait_for(pilot, lambda: app.inbox.current_id == rows[2].id)


async def test_mark_all_read_asks_and_z_undoes(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await counted(pilot)
        main = app.main_screen
        rows = main.conv_list.rows
        for conv in rows[1:4]:
            main.conv_list.move_to(conv.id)
            await pilot.press("u")
        assert app.inbox.unread_count() == 3
        await pilot.press("A")
        assert isinstance(app.screen, ConfirmModal)
        assert "3 conversations" in screen_text(app)
        await pilot.press("n")  # no: nothing changes
        assert app.screen is main and app.inbox.unread_count() == 3
        await pilot.press("A", "y")
        assert app.inbox.unread_count() == 0
        await pilot.press("z")
        await wait_for(pilot, lambda: app.inbox.unread_count() == 3)
        await wait_for(pilot, lambda: any("3 conversations unread again" in t for t in toasts(app)))
        # And u is undone too: the conversation is read again.
        main.conv_list.move_to(rows[6].id)
        await pilot.press("u")
        assert app.inbox.is_unread(rows[6])
        await pilot.press("z")
        await wait_for(pilot, lambda: not app.inbox.is_unread(rows[6]))
        assert any("is read again" in t for t in toasts(app))


async def test_z_moves_a_conversation_back(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[1]
        main.conv_list.move_to(conv.id)
        await pilot.press("d")
        await wait_for(pilot, lambda: conv.id not in [c.id for c in main.conv_list.rows])
        assert await server_folder(fresh_sandbox, conv.id) == "done"
        await pilot.press("z")
        await wait_for(pilot, lambda: conv.id in [c.id for c in main.conv_list.rows])
        assert await server_folder(fresh_sandbox, conv.id) == "open"
        name = conv.contact.name or conv.contact.phone
        assert any(f"Undone: {name} moved back to Open" in t for t in toasts(app))
        await pilot.press("z")
        await wait_for(pilot, lambda: "Nothing to undo." in toasts(app))


async def test_d_and_b_on_an_empty_result_change_nothing(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[0]
        await pilot.press("enter")  # a conversation is open...
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        await pilot.press("slash", *"zzzz-nobody", "enter")  # ...but the list shows nothing
        await wait_for(pilot, lambda: app.inbox.view.search == "zzzz-nobody")
        await wait_for(pilot, lambda: not main.conv_list.rows)
        assert main.conv_list.has_focus
        bot_before = conv.chatbot_active
        await pilot.press("d", "b")
        await wait_for(pilot, lambda: len([t for t in toasts(app) if "nothing to" in t]) == 2)
        assert not [w for w in app.workers if w.group == "action"]
        assert await server_folder(fresh_sandbox, conv.id) == "open"
        async with SendbeeClient(
            fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
        ) as client:
            assert (await client.chatbot.status(conv.id)).chatbot_active is bot_before


async def test_arrival_keeps_the_highlight_on_the_same_conversation(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        chosen = main.conv_list.rows[3]
        main.conv_list.move_to(chosen.id)
        writer = main.conv_list.rows[-1]
        fresh_sandbox.inbound(writer.contact.phone, "new message from below")
        await wait_for(pilot, lambda: main.conv_list.rows[0].id == writer.id)
        assert main.conv_list.highlighted.id == chosen.id
        assert main.conv_list.cursor == 4
        # and on screen the cursor row is that conversation's row
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.inbox.current_id == chosen.id)


async def test_r_scrolls_to_the_newest_and_enter_again_keeps_keys(
    sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        thread = main.thread
        # A conversation whose thread is taller than the pane.
        for conv in main.conv_list.rows[:10]:
            main.conv_list.move_to(conv.id)
            await pilot.press("enter")
            conv_id = conv.id
            await wait_for(
                pilot,
                lambda: thread.conversation_id == conv_id and thread.messages,  # noqa: B023
            )
            await pilot.pause()  # its lines are laid out (the height is set with them)
            if thread.max_scroll_y > 0:
                break
        await wait_for(pilot, lambda: thread.max_scroll_y > 0 and thread.is_vertical_scroll_end)
        # Enter on the open conversation: the list keeps the focus, j moves the cursor.
        await pilot.press("enter")
        await pilot.press("j")
        assert main.conv_list.has_focus
        assert main.conv_list.cursor == main.conv_list.index_of(conv.id) + 1
        assert main.composer.input.text == ""
        thread.focus()
        await pilot.press("pageup")
        await wait_for(pilot, lambda: not thread.is_vertical_scroll_end)
        await pilot.press("r")
        assert main.composer.input.has_focus
        await wait_for(pilot, lambda: thread.is_vertical_scroll_end)
