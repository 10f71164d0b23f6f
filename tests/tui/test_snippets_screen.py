"""The snippets screen: add, edit and delete canned replies, round trip to config.toml.

Nothing here talks to a server: the screen only reads and writes the config file
(in a temporary ``config/`` directory, never the real one) and the running
app's ``config.snippets``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from contacts_harness import error_of, form_status, shown_error, type_into
from helpers import settle
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from sendbee_tui import config_write
from sendbee_tui.config import AppConfig, Paths, load_config_file
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.snippets import SnippetForm, SnippetPicker, SnippetsScreen
from sendbee_tui.tui.snippets import ContactValues

SIZE = (100, 32)

HAND_WRITTEN = """\
# My sendbee-tui setup.  Do not share: it has secrets.
default_profile = "shop"

[snippets]
# greetings first
hello = "Hi {first_name}!" # the short one
bye = "Bye for now"

[profiles.shop]
api_key = "shop-key"
api_secret = "shop-secret" # rotated in May
"""


class ConfigHost(App[None]):
    """An app with a ``config``, the way SendbeeApp has one, showing the snippets screen."""

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config

    async def on_mount(self) -> None:
        await self.push_screen(SnippetsScreen())


@pytest.fixture
def config(tmp_path: Path) -> AppConfig:
    paths = Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    paths.config_dir.mkdir(parents=True)
    paths.config_file.write_text(HAND_WRITTEN, encoding="utf-8")
    paths.config_file.chmod(0o600)
    return AppConfig(paths=paths, profile=None, snippets=load_config_file(paths).snippets)


def file_snippets(config: AppConfig) -> dict[str, str]:
    return load_config_file(config.paths).snippets


async def start(pilot: Pilot[Any]) -> SnippetsScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SnippetsScreen)
    return screen


async def open_form(pilot: Pilot[Any], key: str) -> Any:
    """The form ``key`` opens (typed Any: tests compare it with other screens)."""
    await pilot.press(key)
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, SnippetForm)
    return form


async def type_text(pilot: Pilot[Any], form: Any, lines: list[str]) -> None:
    """Replace the text field's content, typing ``lines`` with Enter between them."""
    area = form.query_one("#input-text", TextArea)
    area.focus()
    area.load_text("")
    await pilot.pause()
    for i, line in enumerate(lines):
        if i:
            await pilot.press("enter")  # a new line in the text, not a submit
        await pilot.press(*line)
    await pilot.pause()


def select(screen: SnippetsScreen, name: str) -> None:
    table = screen.query_one("#snippets-table", DataTable)
    table.move_cursor(row=list(screen.snippets).index(name))
    table.focus()


async def test_add_edit_and_delete_round_trip_to_the_config_file(config: AppConfig) -> None:
    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        assert list(screen.snippets) == ["hello", "bye"]

        # Add: a name and a two-line text; Ctrl+S saves.
        form = await open_form(pilot, "a")
        await type_into(pilot, form, "name", "order status")
        await type_text(pilot, form, ["Hi {first_name}, order {field:Order id}", "ships today."])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, form_status(form)
        text = "Hi {first_name}, order {field:Order id}\nships today."
        assert list(file_snippets(config).items())[-1] == ("order status", text)
        assert config.snippets == file_snippets(config)  # the running app has it at once
        assert screen.selected == "order status"
        detail = str(screen.query_one("#snippets-text", Static).render())
        assert "ships today." in detail

        # Edit: rename and change the text; it keeps its place in the list.
        select(screen, "hello")
        await pilot.pause()
        form = await open_form(pilot, "e")
        assert form.values() == {"name": "hello", "text": "Hi {first_name}!"}
        await type_into(pilot, form, "name", "greeting")
        await type_text(pilot, form, ["Hello {name}, how can we help?"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, form_status(form)
        assert list(file_snippets(config).items()) == [
            ("greeting", "Hello {name}, how can we help?"),
            ("bye", "Bye for now"),
            ("order status", text),
        ]

        # Delete, after a confirmation that names it; "n" keeps it.
        select(screen, "bye")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "“bye”" in str(app.screen.query_one("#confirm-message", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert "bye" in file_snippets(config)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert list(file_snippets(config)) == ["greeting", "order status"]
        assert list(config.snippets) == ["greeting", "order status"]
        assert list(screen.snippets) == ["greeting", "order status"]

    written = config.paths.config_file.read_text(encoding="utf-8")
    for kept in (
        "# My sendbee-tui setup.  Do not share: it has secrets.",
        "# greetings first",
        'api_secret = "shop-secret" # rotated in May',
    ):
        assert kept in written
    assert load_config_file(config.paths).profiles["shop"].api_secret == "shop-secret"
    if os.name == "posix":
        assert stat.S_IMODE(config.paths.config_file.stat().st_mode) == 0o600


async def test_a_new_snippet_is_offered_by_the_picker_at_once(config: AppConfig) -> None:
    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        form = await open_form(pilot, "a")
        await type_into(pilot, form, "name", "hours")
        await type_text(pilot, form, ["Open 9-17"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        picker = SnippetPicker(ContactValues())
        await app.push_screen(picker)
        await pilot.pause()
        assert [m.name for m in picker.matches] == ["hello", "bye", "hours"]


async def test_duplicate_and_empty_values_are_refused_next_to_the_field(
    config: AppConfig,
) -> None:
    before = config.paths.config_file.read_bytes()
    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        form = await open_form(pilot, "a")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.is_current
        assert error_of(form, "name") == "This field is required."
        assert error_of(form, "text") == "This field is required."

        await type_into(pilot, form, "name", " HELLO ")
        await type_text(pilot, form, ["   ", ""])  # blanks are no text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_error(form, "name") == "A snippet with this name already exists."
        assert error_of(form, "text") == "This field is required."
        assert form.values()["name"] == " HELLO "  # nothing typed is lost
        assert config.paths.config_file.read_bytes() == before

        # A snippet added to the file by hand meanwhile is caught when saving.
        config.paths.config_file.write_text(
            HAND_WRITTEN.replace('bye = "Bye for now"', 'bye = "Bye"\nlater = "See you"'),
            encoding="utf-8",
        )
        await type_into(pilot, form, "name", "later")
        await type_text(pilot, form, ["Talk soon"])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.is_current
        assert shown_error(form, "name") == "A snippet with this name already exists."
        assert form.values() == {"name": "later", "text": "Talk soon"}

        # Renamed, it saves, and keeps the hand-written one.
        await type_into(pilot, form, "name", "talk soon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, form_status(form)
        assert list(file_snippets(config)) == ["hello", "bye", "later", "talk soon"]
        assert list(screen.snippets) == ["hello", "bye", "later", "talk soon"]


async def test_an_unwritable_file_keeps_the_form_and_everything_typed(
    config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = config.paths.config_file.read_bytes()

    def refuse(path: Path, data: bytes, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        form = await open_form(pilot, "a")
        await type_into(pilot, form, "name", "thanks")
        await type_text(pilot, form, ["Thank you!", "Bye"])
        monkeypatch.setattr(config_write, "atomic_write_private", refuse)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.is_current
        status = form_status(form)
        assert "Not saved" in status and "Permission denied" in status
        assert str(config.paths.config_file) in status
        assert form.values() == {"name": "thanks", "text": "Thank you!\nBye"}
        assert "thanks" not in config.snippets
        assert config.paths.config_file.read_bytes() == before

        monkeypatch.undo()  # the disk is writable again: the same form saves
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, form_status(form)
        assert file_snippets(config)["thanks"] == "Thank you!\nBye"


async def test_a_failed_delete_says_why_and_keeps_the_snippet(
    config: AppConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        monkeypatch.setattr(config_write, "atomic_write_private", refuse)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        status = screen.query_one("#snippets-status", Static)
        assert "Not deleted" in str(status.render()) and "No space left" in str(status.render())
        assert list(config.snippets) == ["hello", "bye"]
        assert list(file_snippets(config)) == ["hello", "bye"]


async def test_names_with_markup_are_shown_literally(tmp_path: Path) -> None:
    paths = Paths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    config = AppConfig(paths=paths, profile=None, snippets={"[bold]x[/]": "[@click=app.quit]y[/]"})
    app = ConfigHost(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        detail = str(screen.query_one("#snippets-text", Static).render())
        assert "[bold]x[/]" in detail and "[@click=app.quit]y[/]" in detail
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert config.snippets == {}
        assert load_config_file(paths).snippets == {}
        assert "No snippets yet" in str(screen.query_one("#snippets-status", Static).render())
