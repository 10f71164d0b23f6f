"""The outbox screen (``g o``): every reply not sent yet, the ones with no thread included.

Real app, real sandbox over loopback; the only fault is a 503 that stored nothing
(:class:`SendFaults`), which a real server cannot be asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import wait_for_screen
from inbox_helpers import ready, screen_text, wait_for
from outbox_harness import app_with, app_with_a_lost_send, outbound, send_unconfirmed, states
from textual.widgets import Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import State
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.outbox import OutboxScreen

NEW_NUMBER = "+385919990001"


def offered(app: Any) -> dict[str, str]:
    """Key -> binding id of what the current screen offers now."""
    return {k: b.binding.id for k, b in app.screen.active_bindings.items() if b.enabled}


def status(screen: OutboxScreen) -> str:
    return str(screen.query_one("#outbox-status", Static).content)


async def welcome_template(server: Any) -> tuple[str, str]:
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        page = await client.templates.list(search_query="welcome")
        template = next(t for t in page.items if t.status == "approved")
        return template.keyword or "", template.language or "en"


async def test_a_template_to_a_new_number_that_ends_unconfirmed_is_shown_and_handled(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    keyword, language = await welcome_template(fresh_sandbox)
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        entry = app.outbox.enqueue_template(
            NEW_NUMBER, keyword, language, tags={"1": "Ana", "2": "Shop"}
        )
        await wait_for(pilot, lambda: app.outbox.get(entry.id).state is State.UNCONFIRMED)
        assert entry.conversation_id is None  # no thread shows it
        # ... but the status line counts it, and says where to look.
        await wait_for(pilot, lambda: "⚠ 1 reply needs you (g o)" in screen_text(app))

        app.main_screen.conv_list.focus()
        await pilot.press("g", "o")
        screen = await wait_for_screen(pilot, OutboxScreen)
        await wait_for(pilot, lambda: "1 reply not sent yet, 1 needs you" in status(screen))
        text = screen_text(app)
        assert NEW_NUMBER in text and f"[{keyword}]" in text and "no conversation yet" in text
        keys = offered(app)
        assert keys.get("c") == "outbox.recheck"
        assert keys.get("exclamation_mark") == "outbox.resend"
        assert "outbox.retry" not in keys.values()
        assert "outbox.edit" not in keys.values()  # a template is picked again, not edited
        palette = " | ".join(c.name for c in screen.palette_commands())
        assert "unconfirmed reply on the server again" in palette  # check again
        assert "send an unconfirmed reply again" in palette  # send again anyway
        assert "send a failed reply again" not in palette  # retry
        assert "back to the composer" not in palette  # edit

        await pilot.press("exclamation_mark")  # send again anyway: asks first, Enter keeps it
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert faults.sends == 1 and app.outbox.get(entry.id).state is State.UNCONFIRMED

        # Run directly (as a palette entry would), edit is refused for a template, once
        # for every screen, and the reply stays in the outbox.
        screen.action_outbox_edit()
        await wait_for(
            pilot,
            lambda: any(
                "Not available for a template" in str(n.message) for n in app._notifications
            ),
        )
        assert app.outbox.get(entry.id).state is State.UNCONFIRMED and app.screen is screen

        await pilot.press("x")  # discard: it leaves the list
        await wait_for(pilot, lambda: "Nothing waiting" in status(screen))
        assert app.outbox.get(entry.id) is None
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        await wait_for(pilot, lambda: "need" not in screen_text(app))
    await faults.aclose()


async def test_replies_left_by_an_earlier_run_are_counted_at_start(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    keyword, language = await welcome_template(fresh_sandbox)
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        entry = app.outbox.enqueue_template(NEW_NUMBER, keyword, language)
        await wait_for(pilot, lambda: app.outbox.get(entry.id).state is State.UNCONFIRMED)
    await faults.aclose()
    again: Any = app_with(fresh_sandbox, tmp_path)
    again.config.keymap = {"goto.outbox": "b"}
    async with again.run_test(size=(140, 40)) as pilot:
        await wait_for(pilot, lambda: ready(again))
        await wait_for(pilot, lambda: "⚠ 1 reply needs you (g b)" in screen_text(again))


async def test_a_reply_goes_back_to_its_conversation_to_be_edited(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main_screen
        conv = await send_unconfirmed(pilot, "Where is [b]my[/b] order?")
        # Somewhere else in the inbox, the outbox screen still finds it.
        await pilot.press("escape")
        main.conv_list.focus()
        await pilot.press("g", "o")
        screen = await wait_for_screen(pilot, OutboxScreen)
        await wait_for(pilot, lambda: len(screen.entries) == 1)
        assert "Where is [b]my[/b] order?" in screen_text(app)  # literally, not as markup
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen is main)
        await wait_for(pilot, lambda: main.composer.input.text == "Where is [b]my[/b] order?")
        assert main.thread.conversation_id == conv.id
        assert states(app, conv.id) == []
    await faults.aclose()
    assert await outbound(fresh_sandbox, conv.id, "Where is [b]my[/b] order?") == 0


async def test_the_outbox_screen_follows_the_outbox_and_opens_the_conversation(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        main = app.main_screen
        conv = await send_unconfirmed(pilot, "Checking in")
        await pilot.press("escape")
        main.conv_list.focus()
        main.conv_list.move_to(main.conv_list.rows[-1].id)
        await pilot.press("g", "o")
        screen = await wait_for_screen(pilot, OutboxScreen)
        await wait_for(pilot, lambda: len(screen.entries) == 1)
        await pilot.press("c")  # check again: the check finds nothing, it stays unconfirmed
        await wait_for(pilot, lambda: states(app, conv.id) == [State.UNCONFIRMED])
        await pilot.press("enter")  # opens the reply's conversation
        await wait_for(pilot, lambda: app.screen is main and main.thread.conversation_id == conv.id)
        # Sent again from the thread (confirmed): the screen, opened again, is empty.
        main.thread.focus()
        await pilot.press("exclamation_mark")
        await wait_for_screen(pilot, ConfirmModal)
        await pilot.press("y")
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT])
        main.conv_list.focus()
        await pilot.press("g", "o")
        screen = await wait_for_screen(pilot, OutboxScreen)
        await wait_for(pilot, lambda: "Nothing waiting" in status(screen))
    await faults.aclose()
    assert await outbound(fresh_sandbox, conv.id, "Checking in") == 1
