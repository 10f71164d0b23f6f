"""Pilot tests of the inbox against the real sandbox (HTTP over loopback).

Each test drives keys like an agent would and checks both what the screen shows
and, for writes, what the *server* now holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import palette_highlights
from inbox_helpers import find_conv, make_app, ready, screen_text, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.inbox import preview_key, window_left
from sendbee_tui.tui.widgets.status import FolderTabs, StatusLine


async def server_conversation(server: Any, conv_id: str) -> Any:
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        return await client.conversations.get(conv_id)


async def test_first_paint_shows_open_folder_with_counts(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert all(c.folder == "open" for c in main.conv_list.rows)
        await wait_for(pilot, lambda: len(main.query_one(FolderTabs).counts) == 4)
        assert main.query_one(StatusLine).state == "online"
        text = screen_text(app)
        assert "DEMO" in text
        assert "1 Open" in text and "2 Done" in text
        assert main.conv_list.has_focus


async def test_switch_folders_with_number_keys(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("2")
        await wait_for(
            pilot,
            lambda: main.conv_list.rows and all(c.folder == "done" for c in main.conv_list.rows),
        )
        assert main.query_one(FolderTabs).folder == "done"
        await pilot.press("1")
        await wait_for(
            pilot,
            lambda: main.conv_list.rows and all(c.folder == "open" for c in main.conv_list.rows),
        )
        # The mouse works too: click the "3 Spam" tab.
        tabs = main.query_one(FolderTabs)
        x = tabs.render().plain.index("3 Spam") + 2
        await pilot.click(FolderTabs, offset=(x, 0))
        await wait_for(
            pilot,
            lambda: main.conv_list.rows and all(c.folder == "spam" for c in main.conv_list.rows),
        )


async def test_search_by_name_and_phone(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        target = main.conv_list.rows[2]
        await pilot.press("slash")
        await pilot.press(*target.contact.phone[-6:])
        await pilot.press("enter")
        await wait_for(pilot, lambda: [c.id for c in main.conv_list.rows] == [target.id])
        assert main.conv_list.has_focus
        # Esc clears the search and brings the folder back.
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(main.conv_list.rows) > 1)


async def test_open_conversation_shows_thread_and_contact(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("j", "enter")
        conv = main.conv_list.rows[1]
        await wait_for(
            pilot, lambda: main.thread.conversation_id == conv.id and main.thread.messages
        )
        assert app.inbox.current_conversation.id == conv.id
        # Oldest at the top, newest at the bottom.
        times = [m.sent_at for m in main.thread.messages]
        assert times == sorted(times)
        await wait_for(pilot, lambda: main.contact_pane.contact is not None)
        assert conv.contact.phone in screen_text(app)


async def test_send_text_appears_with_status(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and not c.chatbot_active)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: main.thread.conversation_id == conv.id and main.thread.messages
        )
        await pilot.press("r")
        assert main.composer.input.has_focus
        await pilot.press(*"Hello from the test")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any(m.body == "Hello from the test" for m in main.thread.messages)
        )
        sent = next(m for m in main.thread.messages if m.body == "Hello from the test")
        assert sent.direction == "outbound" and sent.status
        assert main.composer.input.text == ""
        assert any("Hello from the test" in line for line in main.thread.plain_lines)
        # The server has it, and polling replaces the local echo with the stored message.
        async with SendbeeClient(
            fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
        ) as client:
            page = await client.conversations.messages(conv.id)
        assert any(m.body == "Hello from the test" for m in page.items)


async def test_newline_key_and_a_refused_send_stays_visible_with_its_text(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """A send the server refuses (an agent id it does not know: HTTP 400) fails in the
    outbox with the reason and its text; e takes it back to the composer to fix."""

    class Ghost:
        id, name = "no-such-member", "Ghost"

    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and not c.chatbot_active)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter", "r")
        await pilot.press("a", "ctrl+j", "b")
        assert main.composer.input.text == "a\nb"
        main.composer.set_agent(Ghost())
        await pilot.press("enter")
        assert main.composer.input.text == ""  # it left the composer for the outbox

        def lines() -> list[str]:
            return main.thread.plain_lines

        await wait_for(pilot, lambda: any("failed: HTTP 400" in line for line in lines()))
        at = next(i for i, line in enumerate(lines()) if "failed: HTTP 400" in line)
        after = [line.strip(" ┆") for line in lines()[at:]]
        assert after[after.index("a") + 1] == "b"  # the text, below the reason
        main.thread.focus()
        await pilot.press("e")
        await wait_for(pilot, lambda: main.composer.input.text == "a\nb")
        assert app.inbox.outbox_entries(conv.id) == []
        assert main.composer.input.has_focus


async def test_customer_message_arrives_while_running(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[-1]
        fresh_sandbox.inbound(conv.contact.phone, "Is anyone there?")
        await wait_for(pilot, lambda: main.conv_list.rows[0].id == conv.id)
        top = main.conv_list.rows[0]
        assert app.inbox.is_unread(top)
        await wait_for(pilot, lambda: main.query_one(StatusLine).unread >= 1)
        await wait_for(pilot, lambda: app.inbox.preview(top) == "Is anyone there?")
        await wait_for(
            pilot, lambda: any("Is anyone there?" in str(n.message) for n in app._notifications)
        )
        assert "unread" in screen_text(app)
        # n jumps to it and opening clears the mark.
        main.conv_list.action_last()
        await pilot.press("n")
        await wait_for(pilot, lambda: app.inbox.current_id == conv.id)
        assert not app.inbox.is_unread(top)
        # u marks it unread again.
        await pilot.press("u")
        assert app.inbox.is_unread(app.inbox.conversation(conv.id))
        # A asks, then marks everything read.
        await pilot.press("A")
        assert app.inbox.unread_count() == 1
        await pilot.press("y")
        assert app.inbox.unread_count() == 0
        await wait_for(pilot, lambda: main.query_one(StatusLine).unread == 0)


async def test_drafts_survive_switching_and_restart(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        first, second = main.conv_list.rows[0], main.conv_list.rows[1]
        main.conv_list.move_to(first.id)
        await pilot.press("enter", "r", *"half-written reply")
        await pilot.press("escape")
        main.conv_list.move_to(second.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.composer.conversation.id == second.id)
        assert main.composer.input.text == ""
        main.conv_list.move_to(first.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.composer.conversation.id == first.id)
        assert main.composer.input.text == "half-written reply"
    # A new app on the same data directory (a restart, a dropped SSH session).
    app2 = make_app(fresh_sandbox, tmp_path)
    async with app2.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app2))
        main = app2.main_screen
        main.conv_list.move_to(first.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.composer.conversation is not None)
        assert main.composer.input.text == "half-written reply"


async def test_window_closed_composer_offers_template(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) is None)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        notice = str(main.composer.query_one("#composer-notice").render())
        assert "window closed" in notice and "t" in notice
        await pilot.press("r", *"hi", "enter")
        # Nothing is sent; the text stays and the agent is pointed at templates.
        assert main.composer.input.text == "hi"
        assert any("template" in str(n.message) for n in app._notifications)
        assert "closed" in screen_text(app)


async def test_chatbot_toggle_and_done_confirmed_by_server(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[0]
        before = conv.chatbot_active
        await pilot.press("b")
        await wait_for(pilot, lambda: app.inbox.conversation(conv.id).chatbot_active != before)
        async with SendbeeClient(
            fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
        ) as client:
            status = await client.chatbot.status(conv.id)
        assert status.chatbot_active is (not before)
        main.conv_list.move_to(conv.id)
        await pilot.press("d")
        await wait_for(pilot, lambda: conv.id not in [c.id for c in main.conv_list.rows])
        assert (await server_conversation(fresh_sandbox, conv.id)).folder == "done"
        await pilot.press("2")
        await wait_for(pilot, lambda: conv.id in [c.id for c in main.conv_list.rows])
        main.conv_list.move_to(conv.id)
        await pilot.press("d")
        await wait_for(pilot, lambda: conv.id not in [c.id for c in main.conv_list.rows])
        assert (await server_conversation(fresh_sandbox, conv.id)).folder == "open"


async def test_help_and_palette(sandbox: Any, tmp_path: Path) -> None:
    from sendbee_tui.tui.screens.help import HelpScreen

    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("question_mark")
        # Pushed is not painted yet: wait for the help's lines themselves.
        await wait_for(
            pilot, lambda: isinstance(app.screen, HelpScreen) and "inbox.done" in screen_text(app)
        )
        text = screen_text(app)
        for key in ("inbox.reply", "inbox.done", "inbox.chatbot", "inbox.search", "Move to Done"):
            assert key in text
        await pilot.press("escape")
        assert app.screen is app.main_screen
        await pilot.press("ctrl+p")
        await pilot.press(*"unread only")
        # The palette searches in a worker: press Enter once the command is highlighted.
        await wait_for(pilot, lambda: palette_highlights(app, "Unread only"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.inbox.view.unread_only)


async def test_offline_shows_retry_state_and_recovers(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        status = main.query_one(StatusLine)
        fresh_sandbox.set_faults(error_rate=1.0)
        await wait_for(pilot, lambda: status.state == "offline")
        await wait_for(pilot, lambda: "retrying in" in screen_text(app))
        assert app.is_running
        # Something happens while we are offline...
        conv = main.conv_list.rows[-1]
        fresh_sandbox.set_faults(error_rate=0.0)
        fresh_sandbox.inbound(conv.contact.phone, "hello again")
        app.inbox.wake()
        await wait_for(pilot, lambda: status.state == "online", timeout=20)
        await wait_for(
            pilot, lambda: any("Back online" in str(n.message) for n in app._notifications)
        )
        await wait_for(pilot, lambda: main.conv_list.rows[0].id == conv.id)


async def test_unreachable_server_does_not_crash(tmp_path: Path, sandbox: Any) -> None:
    app = make_app(sandbox, tmp_path, base_url="http://127.0.0.1:9")
    async with app.run_test(size=(80, 24)) as pilot:
        status = app.main_screen.query_one(StatusLine)
        await wait_for(pilot, lambda: status.state == "offline")
        assert app.is_running
        assert "offline" in screen_text(app)


async def test_first_run_demo_mode(tmp_path: Path) -> None:
    """No credentials anywhere: the CLI starts the in-process sandbox and the inbox says DEMO."""
    from sendbee_tui.cli import make_app as cli_make_app
    from sendbee_tui.config import Paths

    app = cli_make_app([], env={}, paths=Paths(tmp_path / "config", tmp_path / "data"))
    assert app.config.demo
    ran: list[bool] = []
    app.config.on_exit.append(lambda: ran.append(True))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: ready(app), timeout=20)
        assert "DEMO" in screen_text(app)
        await pilot.press("q")
    assert not app.is_running
    assert ran == [True]  # on_exit callbacks (stopping the demo sandbox) ran


async def test_slow_server_polls_complete_without_piling_up(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """Latency (0.4 s) far above the poll interval (0.2 s): every poll still completes,
    and there is never more than one list request in flight."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        conversations = app.inbox.client.conversations
        original = conversations.list
        in_flight = 0
        peak = 0
        completed = 0

        async def counting_list(*args: Any, **kwargs: Any) -> Any:
            nonlocal in_flight, peak, completed
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await original(*args, **kwargs)
            finally:
                in_flight -= 1
                completed += 1

        conversations.list = counting_list
        fresh_sandbox.set_faults(latency_ms=400)
        await wait_for(pilot, lambda: completed >= 4, timeout=20)
        assert peak == 1
        assert app.main_screen.query_one(StatusLine).state == "online"
        fresh_sandbox.set_faults(latency_ms=0)


async def test_failed_action_is_a_notification_not_a_crash(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert not main.contact_pane.display  # auto-hidden on a narrow terminal
        await pilot.press("i")
        assert main.contact_pane.display
        # Every request now fails with a 500: the move to Done cannot succeed.
        fresh_sandbox.set_faults(error_rate=1.0)
        main.conv_list.focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert app.is_running


async def test_contacts_screen_can_open_a_conversation(sandbox: Any, tmp_path: Path) -> None:
    from sendbee_tui.tui.screens.contacts import ContactsScreen

    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        conv = app.main_screen.conv_list.rows[3]
        app.post_message(
            ContactsScreen.OpenConversation(
                conversation_id=conv.id, phone=conv.contact.phone, contact=None
            )
        )
        await wait_for(pilot, lambda: app.main_screen.thread.conversation_id == conv.id)
        assert app.main_screen.conv_list.highlighted.id == conv.id


async def test_previews_are_cached_not_refetched_every_poll(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """Previews: one request per row on screen, then only when that conversation changes."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        # Everything the list asks previews for: the rows on screen plus a small margin.
        on_screen = main.conv_list.scrollable_content_region.height // 2 + 2
        visible = main.conv_list.rows[:on_screen]

        def all_fetched() -> bool:
            # Fetched successfully for the conversation's current last message (a failed
            # fetch is stored under a stale key and retried later, which is right).
            entries = [app.inbox.previews.entries.get(c.id) for c in visible]
            return all(
                e is not None and e[0] == preview_key(c)
                for e, c in zip(entries, visible, strict=True)
            )

        # ...and nothing else is still queued (a first layout may have asked for more rows).
        await wait_for(pilot, lambda: all_fetched() and not app.inbox.previews.wanted)
        conversations = app.inbox.client.conversations
        original_messages, original_list = conversations.messages, conversations.list
        fetched: list[str] = []
        polls = 0

        async def counting_messages(conv_id: str, *args: Any, **kwargs: Any) -> Any:
            fetched.append(conv_id)
            return await original_messages(conv_id, *args, **kwargs)

        async def counting_list(*args: Any, **kwargs: Any) -> Any:
            nonlocal polls
            polls += 1
            return await original_list(*args, **kwargs)

        conversations.messages = counting_messages
        conversations.list = counting_list
        await wait_for(pilot, lambda: polls >= 5)
        assert fetched == []
        # One conversation changes: exactly its preview is fetched again.
        target = visible[5]
        fresh_sandbox.inbound(target.contact.phone, "changed")
        await wait_for(
            pilot, lambda: app.inbox.preview(app.inbox.conversation(target.id)) == "changed"
        )
        assert set(fetched) == {target.id}


async def test_actions_on_open_thread_survive_folder_switch(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """With the thread focused, `d` acts on the open conversation even after switching
    the list to a folder that does not contain it (never on some other row)."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[0]
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        await pilot.press("2")
        await wait_for(
            pilot,
            lambda: main.conv_list.rows and all(c.folder == "done" for c in main.conv_list.rows),
        )
        other = main.conv_list.highlighted
        main.thread.focus()
        await pilot.press("d")
        await wait_for(pilot, lambda: app.inbox.current_conversation.folder == "done")
        assert (await server_conversation(fresh_sandbox, conv.id)).folder == "done"
        assert (await server_conversation(fresh_sandbox, other.id)).folder == "done"


async def test_burst_of_messages_into_open_thread_none_skipped(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        conv = main.conv_list.rows[0]
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: main.thread.conversation_id == conv.id and main.thread.messages
        )
        bodies = [f"burst {i}" for i in range(25)]
        for body in bodies:
            fresh_sandbox.inbound(conv.contact.phone, body)
        await wait_for(pilot, lambda: set(bodies) <= {m.body for m in main.thread.messages})
        assert app.inbox.current_id == conv.id


async def test_folder_and_sort_remembered_across_restart(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("2", "s")
        await wait_for(pilot, lambda: app.inbox.view.folder == "done")
    app2 = make_app(sandbox, tmp_path)
    async with app2.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app2))
        assert app2.inbox.view.folder == "done" and app2.inbox.view.sort == "window"
        assert all(c.folder == "done" for c in app2.main_screen.conv_list.rows)
        assert app2.main_screen.query_one(FolderTabs).folder == "done"


async def test_rejected_credentials_are_explained(sandbox: Any, tmp_path: Path) -> None:
    from dataclasses import replace

    app = make_app(sandbox, tmp_path)
    app.config.profile = replace(app.config.profile, api_secret="wrong-secret")
    async with app.run_test(size=(100, 30)) as pilot:
        status = app.main_screen.query_one(StatusLine)
        await wait_for(pilot, lambda: status.state == "offline")
        await wait_for(pilot, lambda: "rejected" in screen_text(app))
        assert "wrong-secret" not in screen_text(app)
        assert app.is_running


async def test_ctrl_e_composes_in_editor(sandbox: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """Ctrl+E hands the draft to $EDITOR (app suspended) and takes back what was written."""
    import contextlib

    import sendbee_tui.tui.widgets.editor as editor

    seen: list[str] = []

    def fake_edit(text: str) -> str:
        seen.append(text)
        return text + " and more from the editor\n"

    monkeypatch.setattr(editor, "edit_text", fake_edit)
    app = make_app(sandbox, tmp_path)
    monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("enter", "r", *"draft")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: seen == ["draft"])
        await wait_for(pilot, lambda: main.composer.input.text == "draft and more from the editor")
        assert main.composer.input.has_focus


def test_editor_command_prefers_visual(monkeypatch: Any) -> None:
    from sendbee_tui.tui.widgets.editor import editor_command

    monkeypatch.setenv("VISUAL", "code --wait")
    monkeypatch.setenv("EDITOR", "nano")
    assert editor_command() == ["code", "--wait"]
    monkeypatch.delenv("VISUAL")
    assert editor_command() == ["nano"]


def test_edit_text_runs_the_editor_on_a_private_temp_file(tmp_path: Path, monkeypatch: Any) -> None:
    import os
    import stat

    from sendbee_tui.tui.widgets.editor import edit_text

    script = tmp_path / "ed.sh"
    log = tmp_path / "mode.txt"
    script.write_text(f'#!/bin/sh\nstat -c %a "$1" > {log}\nprintf "edited" >> "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # see what is left behind
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    assert edit_text("start ") == "start edited"
    assert log.read_text().strip() == "600"
    monkeypatch.setenv("EDITOR", "false")
    assert edit_text("x") is None
    assert not [p for p in os.listdir(tmp_path) if p.startswith("sendbee-reply-")]


async def test_send_media_url(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and not c.chatbot_active)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter", "r", *"see photo", "ctrl+o")
        assert main.composer.media_input.has_focus
        await pilot.press(*"https://example.com/p.jpg", "enter")
        await wait_for(
            pilot,
            lambda: any(m.media_url == "https://example.com/p.jpg" for m in main.thread.messages),
        )
        sent = next(m for m in main.thread.messages if m.media_url == "https://example.com/p.jpg")
        assert sent.body == "see photo" and sent.media_type == "image"
        assert main.composer.media_input.value == "" and main.composer.input.text == ""
