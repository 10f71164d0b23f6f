"""Composer "send as agent" (Ctrl+G) in the real SendbeeApp against the sandbox.

The sandbox stores a free-form message's ``agent_id`` as its ``from_user_id``
(``"api"`` when none is given), so the server's copy shows who it was sent as.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox_helpers import find_conv, make_app, ready, wait_for
from textual.widgets import OptionList, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.inbox import window_left
from sendbee_tui.tui.screens.teams import AgentPicker


async def stored_messages(server: Any, conv_id: str) -> list[Any]:
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        return list((await client.conversations.messages(conv_id)).items)


async def open_picker(pilot: Any) -> AgentPicker:
    app = pilot.app
    await pilot.press("ctrl+g")
    await wait_for(pilot, lambda: isinstance(app.screen, AgentPicker) and app.screen.members)
    picker = app.screen
    assert isinstance(picker, AgentPicker)
    await wait_for(pilot, lambda: picker.query_one(OptionList).option_count > 1)
    return picker


async def test_reply_is_sent_as_the_chosen_agent(fresh_sandbox: Any, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) and not c.chatbot_active)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter", "r")
        assert main.composer.input.has_focus
        await pilot.press(*"Sent by a person")

        picker = await open_picker(pilot)
        options = picker.query_one(OptionList)
        assert options.highlighted == 0  # "nobody in particular" while none is chosen
        member = picker.members[1]
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: app.screen is main)
        assert main.composer.agent_id == member.id
        assert main.composer.input.has_focus
        assert main.composer.input.text == "Sent by a person"  # the draft is untouched
        label = str(main.composer.query_one("#composer-agent", Static).render())
        assert member.name in label

        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any(m.body == "Sent by a person" for m in main.thread.messages)
        )
        stored = [
            m for m in await stored_messages(fresh_sandbox, conv.id) if m.body == "Sent by a person"
        ]
        assert [m.from_user_id for m in stored] == [member.id]

        # Escape keeps the agent; "nobody in particular" clears it for the next reply.
        picker = await open_picker(pilot)
        assert picker.query_one(OptionList).highlighted == 2  # the current agent
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        assert main.composer.agent_id == member.id
        await open_picker(pilot)
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: app.screen is main)
        assert main.composer.agent_id is None
        assert str(main.composer.query_one("#composer-agent", Static).render()) == ""
        await pilot.press(*"And by the API", "enter")
        await wait_for(pilot, lambda: any(m.body == "And by the API" for m in main.thread.messages))
        stored = [
            m for m in await stored_messages(fresh_sandbox, conv.id) if m.body == "And by the API"
        ]
        assert [m.from_user_id for m in stored] == ["api"]


async def test_markup_in_an_agent_name_is_shown_literally(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        main.composer.set_agent(_Member("m-x", "[bold red]Eve[/] $(rm)"))
        await pilot.pause()
        assert main.composer.agent_id == "m-x"
        label = str(main.composer.query_one("#composer-agent", Static).render())
        assert "[bold red]Eve[/] $(rm)" in label


class _Member:
    def __init__(self, id: str, name: str) -> None:
        self.id = id
        self.name = name
