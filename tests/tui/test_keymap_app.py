"""``[keymap]`` in the running app, and the vi keys of every list screen (real sandbox).

A keymap entry the registry accepts is applied at start (``App.set_keymap``);
a bad one is named in a warning and the app runs on.  Help, the palette and the
``g`` menu show the keys in force.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from inbox_helpers import find_conv, make_app, ready, screen_text, wait_for
from textual.command import CommandList
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from sendbee_tui import cli
from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.inbox import window_left
from sendbee_tui.tui.screens.contacts import ContactsScreen
from sendbee_tui.tui.screens.goto import GotoScreen
from sendbee_tui.tui.screens.help import HelpScreen
from sendbee_tui.tui.screens.templates import TemplatePickerScreen

SIZE = (120, 40)


def bound(app: SendbeeApp, key: str) -> str | None:
    """The id of the binding ``key`` runs on the current screen (None: unbound)."""
    active = app.screen.active_bindings.get(key)
    return active.binding.id if active is not None else None


def help_line(app: SendbeeApp, binding_id: str) -> str:
    """The help screen's row for ``binding_id``, without the box's border."""
    row = next(line for line in screen_text(app).splitlines() if binding_id in line)
    return row.strip().strip("│").strip()


def notices(app: SendbeeApp) -> list[Any]:
    return list(app._notifications)


async def done_count(server: Any) -> int:
    async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
        return len([c async for c in client.conversations.iterate(folder="done")])


# ----------------------------------------------------------------------------- [keymap]


async def test_a_rebound_key_moves_the_conversation_and_the_old_one_does_not(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    app.config.keymap = {"inbox.done": "x"}
    before = await done_count(fresh_sandbox)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert main is not None
        conv = main.conv_list.rows[0]
        assert conv.id is not None
        main.conv_list.move_to(conv.id)
        main.conv_list.focus()
        assert bound(app, "x") == "inbox.done"
        assert bound(app, "d") is None
        await pilot.press("d")
        await pilot.pause()
        assert conv.id in [c.id for c in main.conv_list.rows]
        await pilot.press("x")
        await wait_for(pilot, lambda: conv.id not in [c.id for c in main.conv_list.rows])
        await pilot.press("question_mark")
        # Pushed is not painted yet: wait for the help's lines themselves.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, HelpScreen) and "inbox.done" in screen_text(app),
        )
        row = help_line(app, "inbox.done")
        assert row.startswith("x ") and "Move to Done" in row
    # d did nothing: exactly one conversation moved.
    assert await done_count(fresh_sandbox) == before + 1


async def test_bad_keymap_entries_are_named_and_the_app_runs(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    app.config.keymap = {
        "inbox.done": "x",
        "inbox.dnoe": "y",
        "composer.send": "ctrl+s",
        "inbox.reply": "ctrl+",
    }
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        warnings = [str(n.message) for n in notices(app) if n.severity == "warning"]
        assert any("'inbox.dnoe'" in w for w in warnings)
        assert any("'composer.send'" in w for w in warnings)
        assert any("'inbox.reply'" in w and "'ctrl+'" in w for w in warnings)
        assert app.is_running
        assert bound(app, "x") == "inbox.done"
        assert bound(app, "r") == "inbox.reply"  # the bad entry left the default alone


async def test_the_cli_applies_the_config_files_keymap(sandbox: Any, tmp_path: Path) -> None:
    home = tmp_path / "home"
    config_dir = home / "config"
    config_dir.mkdir(parents=True, mode=0o700)
    config_file = config_dir / "config.toml"
    config_file.write_text(
        'default_profile = "shop"\n\n'
        "[keymap]\n"
        '"inbox.done" = "x"\n'
        '"goto.contacts" = "p"\n'
        '"no.such" = "y"\n\n'
        "[profiles.shop]\n"
        f'api_key = "{sandbox.api_key}"\n'
        f'api_secret = "{sandbox.api_secret}"\n'
        f'base_url = "{sandbox.base_url}"\n',
        encoding="utf-8",
    )
    os.chmod(config_file, 0o600)
    app = cli.make_app([], env={"SENDBEE_TUI_HOME": str(home)})
    try:
        assert app.config.keymap["inbox.done"] == "x"
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: ready(app))
            assert bound(app, "x") == "inbox.done"
            assert any("'no.such'" in str(n.message) for n in notices(app))
            await pilot.press("g")
            await wait_for(pilot, lambda: isinstance(app.screen, GotoScreen))
            assert "p contacts" in screen_text(app)
            await pilot.press("p")
            await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
    finally:
        for callback in app.config.on_exit:
            callback()


async def test_the_g_menu_and_the_palette_show_the_keys_in_force(
    sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    app.config.keymap = {"goto.contacts": "p", "inbox.unread_only": "V"}
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("g", "c")  # c is no longer in the menu: it cancels
        await pilot.pause()
        assert app.screen is main
        await pilot.press("g", "p")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        await pilot.press("ctrl+p", *"unread only")

        def highlighted() -> str:
            lists = app.screen.query(CommandList)
            option = lists.first().highlighted_option if lists else None
            if option is None:
                return ""
            prompt = option.prompt
            return prompt.plain if isinstance(prompt, Content) else str(prompt)

        await wait_for(pilot, lambda: "Unread only" in highlighted())
        assert "(V)" in highlighted()


# ----------------------------------------------------------------------------- list screens


async def _open(pilot: Pilot[Any], how: str) -> tuple[Any, DataTable[Any] | OptionList]:
    """Open a list screen from the inbox; its list, focused, with a few rows."""
    app = pilot.app
    assert isinstance(app, SendbeeApp)
    main = app.main_screen
    if how == "templates":
        app.action_send_template_new()
    else:
        await pilot.press("g", how)
    await wait_for(pilot, lambda: app.screen is not main)
    screen = app.screen
    if how == "templates":
        assert isinstance(screen, TemplatePickerScreen)
        await wait_for(pilot, lambda: screen.loaded)
        widget: DataTable[Any] | OptionList = screen.query_one("#template-list", OptionList)
    else:
        widget = screen.query_one(DataTable)
    widget.focus()
    await wait_for(
        pilot,
        lambda: (widget.row_count if isinstance(widget, DataTable) else widget.option_count) >= 3,
    )
    await pilot.pause()
    return screen, widget


def _cursor(widget: DataTable[Any] | OptionList) -> int | None:
    return widget.cursor_row if isinstance(widget, DataTable) else widget.highlighted


def _last(widget: DataTable[Any] | OptionList) -> int:
    return (widget.row_count if isinstance(widget, DataTable) else widget.option_count) - 1


@pytest.mark.parametrize("how", ["c", "t", "f", "m", "s", "templates"])
async def test_vi_keys_and_help_on_every_list_screen(
    sandbox: Any, tmp_path: Path, how: str
) -> None:
    app = make_app(sandbox, tmp_path)
    app.config.snippets = {"one": "1", "two": "2", "three": "3", "four": "4"}
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        screen, widget = await _open(pilot, how)
        assert _cursor(widget) == 0
        await pilot.press("j", "j")
        await pilot.pause()
        assert _cursor(widget) == 2
        await pilot.press("k")
        await pilot.pause()
        assert _cursor(widget) == 1
        last = _last(widget)
        await pilot.press("G")
        await pilot.pause()
        assert _cursor(widget) == last
        await pilot.press("g", "g")
        await pilot.pause()
        assert _cursor(widget) == 0
        assert app.screen is screen
        await pilot.press("question_mark")
        # Pushed is not painted yet: wait for the help's lines themselves.
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, HelpScreen) and "app.quit" in screen_text(app),
        )
        # The screen's own keys come first.
        text = screen_text(app)
        assert text.index("records.down") < text.index("app.quit")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_letters_typed_in_a_search_box_are_text_not_keys(
    sandbox: Any, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        screen, table = await _open(pilot, "c")
        await pilot.press("j")
        await pilot.pause()
        assert _cursor(table) == 1
        await pilot.press("slash", "j", "k", "G", "g", "question_mark")
        await pilot.pause()
        search = screen.query_one("#contacts-search", Input)
        assert search.value == "jkGg?"
        assert app.screen is screen  # "?" typed, help not opened
        # While the box has the focus the list keys are not bound at all (the
        # table itself may have reloaded for the typed search meanwhile).
        assert app.focused is search
        assert [bound(app, key) for key in ("j", "k", "g", "G", "question_mark")] == [None] * 5
        await pilot.press("escape", "escape")  # out of the box, then off the screen
        await wait_for(pilot, lambda: app.screen is app.main_screen)
        picker, _options = await _open(pilot, "templates")
        box = picker.query_one("#template-search", Input)
        box.focus()
        await pilot.press("j")
        await pilot.pause()
        assert box.value == "j"


async def test_hints_in_screen_text_name_rebound_keys(sandbox: Any, tmp_path: Path) -> None:
    app = make_app(sandbox, tmp_path)
    app.config.keymap = {"inbox.template": "T"}
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert main is not None and app.inbox is not None
        now = app.inbox.clock()
        conv = find_conv(app, lambda c: window_left(c, now) is None)
        main.conv_list.move_to(conv.id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        notice = str(main.composer.query_one("#composer-notice").render())
        assert "Press T to pick one" in notice
        assert bound(app, "T") == "inbox.template"
