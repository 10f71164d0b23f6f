"""Search as you type and the list filters, against the real sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox_helpers import make_app, ready, screen_text, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.inbox.filters import window_state
from sendbee_tui.tui.screens.list_filter import ListFilterModal
from sendbee_tui.tui.widgets.filter_bar import FilterBar


def ids(main: Any) -> list[str]:
    return [c.id for c in main.conv_list.rows]


async def test_search_as_you_type_without_enter(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        target = main.conv_list.rows[2]
        await pilot.press("slash", *target.contact.phone[-7:])
        # No Enter: the search runs once the typing pauses.
        await wait_for(pilot, lambda: ids(main) == [target.id])
        assert main.filter_bar.input.has_focus
        # Down moves the list's cursor from the search box; Enter goes to the list.
        await pilot.press("enter")
        assert main.conv_list.has_focus
        assert main.conv_list.highlighted.id == target.id
        assert "name/phone: all" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(main.conv_list.rows) > 1)
        assert not main.filter_bar.has_class("-active")
        # The empty search box hides again when the focus leaves it.
        await pilot.press("slash")
        assert main.filter_bar.has_class("-active")
        main.conv_list.focus()
        await wait_for(pilot, lambda: not main.filter_bar.has_class("-active"))


async def test_search_finds_message_text_of_loaded_conversations(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[4]
        fresh_sandbox.inbound(conv.contact.phone, "Do you sell Marmalade in jars?")
        await wait_for(pilot, lambda: app.inbox.preview(app.inbox.conversation(conv.id)) or "")
        await wait_for(
            pilot, lambda: "Marmalade" in (app.inbox.preview(app.inbox.conversation(conv.id)) or "")
        )
        # An older message, seen only in the thread: open it, then leave it.
        other = main.conv_list.rows[6]
        main.conv_list.move_to(other.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == other.id)
        await wait_for(pilot, lambda: main.thread.messages)
        word = next(
            w
            for m in main.thread.messages[:-1]
            for w in (m.body or "").split()
            if len(w) > 6 and w.isalpha()
        )
        main.conv_list.move_to(main.conv_list.rows[0].id)
        await pilot.press("enter")
        await pilot.press("slash", *"marmalade")
        await wait_for(pilot, lambda: app.inbox.view.search == "marmalade")
        await wait_for(pilot, lambda: ids(main) == [conv.id])
        await pilot.pause()
        assert "text: " in screen_text(app) and " loaded" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.inbox.view.search)
        await pilot.press("slash", *word)
        await wait_for(pilot, lambda: app.inbox.view.search == word)
        await wait_for(pilot, lambda: other.id in ids(main))


async def test_filter_dialog_chatbot_window_and_clear(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        everything = len(main.conv_list.rows)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ListFilterModal))
        # Chatbot row: → on; window row: → open, → closing, → closed; Enter applies.
        await pilot.press("down", "right", "down", "right", "right", "right", "enter")
        await wait_for(pilot, lambda: app.screen is main)
        await wait_for(pilot, lambda: app.inbox.filter.bot is True)
        assert app.inbox.filter.window == "closed"
        now = app.inbox.clock()
        rows = main.conv_list.rows
        assert rows and all(c.chatbot_active for c in rows)
        assert all(window_state(c, now) == "closed" for c in rows)
        bar = main.query_one(FilterBar)
        assert bar.has_class("-active")
        text = screen_text(app)
        assert "bot on" in text and "window closed" in text and "F clears" in text
        # F clears every filter.
        await pilot.press("F")
        await wait_for(pilot, lambda: len(main.conv_list.rows) == everything)
        assert not app.inbox.filter.active
        assert not bar.has_class("-active")
        # Unread only from the dialog, and Esc cancels without changing anything.
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ListFilterModal))
        await pilot.press("down", "down", "down", "right", "escape")
        await wait_for(pilot, lambda: app.screen is main)
        assert not app.inbox.view.unread_only


async def test_tag_filter_shows_only_tagged_contacts(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ListFilterModal))
        await pilot.press("v")  # the first tag starting with v: "vip"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.inbox.filter.tag == "vip")
        async with SendbeeClient(sandbox.api_key, sandbox.api_secret, sandbox.base_url) as client:
            vip = [c async for c in client.contacts.iterate(tags=["vip"])]
        vip_ids = {c.id for c in vip}
        await wait_for(pilot, lambda: app.inbox.lists.tagged is not None)
        await wait_for(pilot, lambda: bool(main.conv_list.rows))
        assert all(c.contact.id in vip_ids for c in main.conv_list.rows)
        assert "tag vip" in screen_text(app)
