"""Replies through the outbox in the real app (Pilot) against the real sandbox over loopback.

What an agent sees and can do when a send does not simply succeed: the answer
lost after the server stored it, the server unreachable, the 24-hour window
closing while a reply waits, an unconfirmed reply, typing while a send is on
its way, and the per-conversation "prevent bot off".  Every test also counts
what the *server* holds: never a second copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import wait_for_screen
from inbox_helpers import ready, wait_for
from outbox_harness import (
    Hold,
    app_with,
    app_with_a_lost_send,
    entry_lines,
    open_replyable,
    outbound,
    reads_of_messages,
    send_unconfirmed,
    sends,
    states,
)
from textual.widgets import Input, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import WINDOW_CLOSED, Kind, State
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.inbox import window_left
from sendbee_tui.tui.screens.templates import TemplateFormScreen, TemplatePickerScreen


async def test_an_answer_lost_after_the_server_stored_it_is_found_not_resent(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """The sandbox stores the reply and never answers: the client times out, the outbox
    reads the conversation, finds it and says sent.  Enter again sends nothing."""
    reads = Hold(reads_of_messages)  # the check reads the conversation: held, it stays
    app: Any = app_with(fresh_sandbox, tmp_path, reads, timeout=1.0)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        conv = await open_replyable(pilot)
        seen: list[State] = []
        app.outbox.subscribe(lambda entry: seen.append(entry.state))
        reads.hold = True  # the check cannot end before its state was seen on screen
        fresh_sandbox.set_faults(send_fault="hang", send_fault_next=1)
        await pilot.press(*"Your parcel left today", "enter")
        assert main.composer.input.text == ""  # exactly that text left the composer
        await pilot.press("enter")  # a second Enter has nothing to send
        await pilot.pause()
        # ...and the saved draft, on disk at once: a crash now must not offer it again.
        with LocalStore(tmp_path / "data") as other_process:
            draft = other_process.account(app.config.profile.account_key).get_draft(conv.id)
        assert draft == ""
        await wait_for(pilot, lambda: State.CHECKING in seen)
        await wait_for(
            pilot, lambda: any("checking whether it arrived" in s for s in entry_lines(app))
        )
        reads.released.set()
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT])
        assert seen.count(State.SENDING) == 1  # one request, never a second
        # The server's message replaces the entry once polled: shown once, not twice.
        await wait_for(
            pilot,
            lambda: (
                any(m.body == "Your parcel left today" for m in main.thread.messages)
                and entry_lines(app) == []
            ),
        )
        shown = [line for line in main.thread.plain_lines if "Your parcel left today" in line]
        assert len(shown) == 1
    await reads.aclose()
    assert await outbound(fresh_sandbox, conv.id, "Your parcel left today") == 1


async def test_typing_while_a_reply_is_on_its_way_is_kept(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    on_its_way = Hold(sends)
    app: Any = app_with(fresh_sandbox, tmp_path, on_its_way)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        conv = await open_replyable(pilot)
        on_its_way.hold = True
        await pilot.press(*"first reply", "enter")
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENDING])
        await pilot.press(*"and a second thought")
        on_its_way.released.set()
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT])
        await wait_for(pilot, lambda: any(m.body == "first reply" for m in main.thread.messages))
        assert main.composer.input.text == "and a second thought"
        await wait_for(pilot, lambda: app.inbox.get_draft(conv.id) == "and a second thought")
    await on_its_way.aclose()
    assert await outbound(fresh_sandbox, conv.id, "first reply") == 1
    assert await outbound(fresh_sandbox, conv.id, "and a second thought") == 0


async def test_unconfirmed_is_sent_again_only_through_the_confirmation(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        conv = await send_unconfirmed(pilot, "Did this arrive?")
        await wait_for(
            pilot,
            lambda: any("unconfirmed — not seen on the server" in s for s in entry_lines(app)),
        )
        main.thread.focus()
        await pilot.pause()
        assert any("! send again anyway" in s for s in entry_lines(app))
        # The footer offers what applies to an unconfirmed reply: check again and
        # send again anyway, never a plain retry.
        offered = {k: b.binding.id for k, b in app.screen.active_bindings.items()}
        assert offered.get("c") == "outbox.recheck"
        assert offered.get("exclamation_mark") == "outbox.resend"
        assert "outbox.retry" not in offered.values()
        await pilot.press("enter", "R")  # neither Enter nor R resends it
        await pilot.pause()
        assert states(app, conv.id) == [State.UNCONFIRMED] and faults.sends == 1
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        question = str(app.screen.query_one("#confirm-message", Static).render())
        assert "twice" in question
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is main)
        assert states(app, conv.id) == [State.UNCONFIRMED] and faults.sends == 1
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT])
        assert faults.sends == 2
    await faults.aclose()
    assert await outbound(fresh_sandbox, conv.id, "Did this arrive?") == 1


async def test_rebound_outbox_keys_are_the_ones_named_and_offered(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """``[keymap]`` moves the unconfirmed reply's keys: the hint under it and the footer
    name the new keys, the new key asks before sending again, the old one does nothing."""
    app, faults = app_with_a_lost_send(fresh_sandbox, tmp_path)
    app.config.keymap = {"outbox.resend": "S", "outbox.recheck": "f6"}
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        conv = await send_unconfirmed(pilot, "Rebound?")
        main.thread.focus()
        await wait_for(pilot, lambda: any("S send again anyway" in s for s in entry_lines(app)))
        assert any("F6 check again" in s for s in entry_lines(app))
        offered = {k: b.binding.id for k, b in app.screen.active_bindings.items()}
        assert offered.get("S") == "outbox.resend" and offered.get("f6") == "outbox.recheck"
        assert "exclamation_mark" not in offered
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal) and faults.sends == 1
        await pilot.press("S")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is main)
        assert states(app, conv.id) == [State.UNCONFIRMED] and faults.sends == 1
    await faults.aclose()


class Restartable:
    """A sandbox that can go away (connection refused) and come back on the same port."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.server = SandboxServer(db_path=db_path).start()
        self.port = self.server.port

    def __getattr__(self, name: str) -> Any:
        return getattr(self.server, name)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def down(self) -> None:
        self.server.stop()

    def up(self) -> None:
        self.server = SandboxServer(db_path=self.db_path, port=self.port).start()


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    server = Restartable(tmp_path / "sandbox.sqlite3")
    try:
        yield server
    finally:
        server.server.stop()


async def test_replies_written_offline_go_out_in_order_when_the_server_answers(
    restartable: Restartable, tmp_path: Path
) -> None:
    # (That a successful inbox poll resumes a paused outbox at once, and that a send
    # getting through brings the inbox back, is pinned down in test_outbox_service.py;
    # here the outbox's own short backoff may win the race.)
    app: Any = app_with(restartable, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        conv = await open_replyable(pilot)
        restartable.down()
        await pilot.press(*"first while offline", "enter")
        await pilot.press(*"second while offline", "enter")
        # The outbox keeps trying (queued -> sending -> queued every few tenths of a
        # second): look at the drawn reason and the states at one and the same moment.
        await wait_for(
            pilot,
            lambda: (
                any("queued — cannot reach Sendbee" in s for s in entry_lines(app))
                and states(app, conv.id) == [State.QUEUED, State.QUEUED]
            ),
        )
        assert main.composer.input.text == ""
        restartable.up()
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT, State.SENT], 20)
        await wait_for(
            pilot,
            lambda: (
                [m.body for m in main.thread.messages][-2:]
                == ["first while offline", "second while offline"]
            ),
        )
    for body in ("first while offline", "second while offline"):
        assert await outbound(restartable, conv.id, body) == 1


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_a_queued_reply_whose_window_closes_fails_with_the_reason_and_its_text(
    restartable: Restartable, tmp_path: Path
) -> None:
    import time

    clock = FakeClock(time.time())
    app: Any = app_with(restartable, tmp_path, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        conv = await open_replyable(pilot)
        restartable.down()
        await pilot.press(*"Sorry for the wait", "enter")
        await wait_for(pilot, lambda: states(app, conv.id) == [State.QUEUED])
        await wait_for(pilot, lambda: app.inbox.outbox_entries(conv.id)[0].error is not None)
        clock.now += 25 * 3600  # a day passes: the window closed while it waited
        restartable.up()
        await wait_for(pilot, lambda: states(app, conv.id) == [State.FAILED], 20)
        entry = app.inbox.outbox_entries(conv.id)[0]
        assert entry.error == WINDOW_CLOSED and entry.text == "Sorry for the wait"
        await wait_for(
            pilot, lambda: any(f"failed: {WINDOW_CLOSED}" in s for s in entry_lines(app))
        )
    assert await outbound(restartable, conv.id, "Sorry for the wait") == 0


async def test_prevent_bot_off_belongs_to_one_conversation_and_is_written(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app: Any = app_with(fresh_sandbox, tmp_path)

    def bot_label() -> str:
        return str(app.main_screen.composer.query_one("#composer-bot", Static).render())

    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        await wait_for(pilot, lambda: ready(app))
        now = app.inbox.clock()
        with_bot = [c for c in main.conv_list.rows if c.chatbot_active and window_left(c, now)]
        first, second = with_bot[0], with_bot[1]
        main.conv_list.move_to(first.id)
        await pilot.press("enter", "r")
        assert bot_label() == "reply turns bot off"
        await pilot.press("ctrl+t")
        assert bot_label() == "bot stays on"
        main.conv_list.move_to(second.id)
        await pilot.press("escape", "enter", "r")
        await wait_for(pilot, lambda: main.composer.conversation.id == second.id)
        assert bot_label() == "reply turns bot off"  # not carried over
        main.conv_list.move_to(first.id)
        await pilot.press("escape", "enter", "r")
        await wait_for(pilot, lambda: main.composer.conversation.id == first.id)
        assert bot_label() == "bot stays on"
        await pilot.press(*"The bot stays with you", "enter")
        await wait_for(pilot, lambda: states(app, first.id) == [State.SENT])
        entry = app.inbox.outbox_entries(first.id)[0]
        assert entry.payload.prevent_bot_off
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
    ) as client:
        assert (await client.chatbot.status(first.id)).chatbot_active is True
    # Remembered for that conversation across a restart (the same account's database).
    again: Any = app_with(fresh_sandbox, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(again))
        again.main_screen.conv_list.move_to(first.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: again.main_screen.composer.conversation is not None)
        label = again.main_screen.composer.query_one("#composer-bot", Static).render()
        assert str(label) == "bot stays on"


async def test_a_template_goes_through_the_outbox_and_a_lost_answer_is_found(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """The template form queues in the outbox with the filled-in text as expected body;
    the sandbox drops the connection after storing it, and the outbox finds it."""
    app: Any = app_with(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        await wait_for(pilot, lambda: ready(app))
        conv = main.conv_list.rows[0]
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        seen: list[tuple[Kind, State]] = []
        app.outbox.subscribe(lambda entry: seen.append((entry.kind, entry.state)))
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TemplatePickerScreen) and app.screen.loaded
        )
        app.screen.query_one("#template-search", Input).value = "welcome Hello"
        await pilot.pause()
        await pilot.press("enter")
        form = await wait_for_screen(pilot, TemplateFormScreen)
        fresh_sandbox.set_faults(send_fault="drop", send_fault_next=1)
        await pilot.press(*"Marko", "tab", *"Sendbee Shop", "enter")
        await wait_for(pilot, lambda: form.result is not None)
        assert (Kind.TEMPLATE, State.CHECKING) in seen
        assert seen[-1] == (Kind.TEMPLATE, State.SENT)
        [entry] = app.outbox.entries_for(conv.id, include_sent=True)
        body = "Hello Marko, welcome to Sendbee Shop! Reply to this message to start chatting."
        assert entry.payload.expected_body == body
        await wait_for(pilot, lambda: any(m.body == body for m in main.thread.messages))
    assert await outbound(fresh_sandbox, conv.id, body) == 1


async def test_a_template_waits_in_the_outbox_while_sendbee_is_away(
    restartable: Restartable, tmp_path: Path
) -> None:
    app: Any = app_with(restartable, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        main = app.main_screen
        await wait_for(pilot, lambda: ready(app))
        conv = main.conv_list.rows[0]
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TemplatePickerScreen) and app.screen.loaded
        )
        picker = app.screen
        picker.query_one("#template-search", Input).value = "welcome Hello"
        await pilot.pause()
        await pilot.press("enter")
        form = await wait_for_screen(pilot, TemplateFormScreen)
        restartable.down()
        await pilot.press(*"Marko", "tab", *"Sendbee Shop", "enter")
        status = form.query_one("#form-status", Static)
        await wait_for(pilot, lambda: "goes out by itself" in str(status.render()))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is picker)
        # It waits in the outbox, which keeps trying (queued -> sending -> queued):
        # one template entry, seen queued.
        await wait_for(
            pilot,
            lambda: (
                [(e.kind, e.state) for e in app.outbox.entries_for(conv.id)]
                == [(Kind.TEMPLATE, State.QUEUED)]
            ),
        )
        restartable.up()
        await wait_for(pilot, lambda: states(app, conv.id) == [State.SENT], 20)
    body = "Hello Marko, welcome to Sendbee Shop! Reply to this message to start chatting."
    assert await outbound(restartable, conv.id, body) == 1
