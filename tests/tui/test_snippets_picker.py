"""The composer's snippet picker (Ctrl+S) in the real SendbeeApp against the sandbox.

A snippet is filled from the open conversation's contact, as the server has it,
and inserted into the composer for editing: these tests also check that nothing
is ever sent by choosing one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import palette_highlights
from inbox_helpers import make_app, ready, wait_for
from textual.app import App
from textual.widgets import OptionList, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.tui.screens.snippets import SnippetPicker, SnippetsScreen
from sendbee_tui.tui.snippets import ContactValues

SNIPPETS = {
    "thanks": "Thank you!",
    "order status": "Hi {first_name}, order {field:Order id} ships to {field:City}.",
    "hours": "We are open Monday to Friday.",
    "thank you vip": "Thank you, {name}, for being with us.",
}


def client_for(server: Any) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, server.base_url)


async def prepare_contact(server: Any) -> str:
    """Give the newest open conversation's contact a name with markup and a City."""
    async with client_for(server) as client:
        conv = (await client.conversations.list(folder="open", limit=1)).items[0]
        await client.contacts.update(
            id=conv.contact.id, name="[bold]Ana[/bold] Horvat", contact_fields={"City": "Zagreb"}
        )
        return str(conv.id)


async def message_count(server: Any, conv_id: str) -> int:
    async with client_for(server) as client:
        return len((await client.conversations.messages(conv_id)).items)


def notice(app: Any) -> str:
    return str(app.main_screen.composer.query_one("#composer-notice", Static).render())


async def open_picker(pilot: Any) -> SnippetPicker:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SnippetPicker))
    picker = pilot.app.screen
    assert isinstance(picker, SnippetPicker)
    await pilot.pause()
    return picker


async def test_picker_inserts_the_filled_snippet_and_never_sends(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    conv_id = await prepare_contact(fresh_sandbox)
    sent_before = await message_count(fresh_sandbox, conv_id)
    app: Any = make_app(fresh_sandbox, tmp_path)
    app.config.snippets = dict(SNIPPETS)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        main.conv_list.move_to(conv_id)
        await pilot.press("enter", "r")
        composer = main.composer
        await wait_for(pilot, lambda: app.inbox.contact_for(composer.conversation) is not None)
        assert composer.input.has_focus and composer.input.text == ""

        # Fuzzy search by name: "ordst" is "order status"; the preview is filled.
        picker = await open_picker(pilot)
        await pilot.press(*"ordst")
        await pilot.pause()
        assert picker.highlighted is not None and picker.highlighted.name == "order status"
        preview = str(picker.query_one("#snippet-preview", Static).render())
        assert preview == "Hi [bold]Ana[/bold], order {field:Order id} ships to Zagreb."
        hint = str(picker.query_one("#snippet-hint", Static).render())
        assert "Still to fill: {field:Order id}" in hint
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is main)

        filled = "Hi [bold]Ana[/bold], order {field:Order id} ships to Zagreb."
        assert composer.input.text == filled
        assert composer.input.has_focus
        assert composer.input.cursor_location == composer.input.document.end
        assert notice(app) == "Fill in before sending: {field:Order id}"
        assert app.inbox.get_draft(conv_id) == filled  # saved as a draft like typing

        # At the cursor: Home, then a snippet with nothing to fill clears our notice.
        await pilot.press("home")
        picker = await open_picker(pilot)
        await pilot.press(*"thanks", "enter")
        await wait_for(pilot, lambda: app.screen is main)
        assert composer.input.text == "Thank you!" + filled
        assert not notice(app).startswith("Fill in")

        # Escape inserts nothing; Ctrl+Z takes the last snippet back out.
        await open_picker(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        assert composer.input.text == "Thank you!" + filled
        assert composer.input.has_focus
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert composer.input.text == filled

        # A composer holding only blanks is replaced, not appended to.
        composer.input.load_text("  \n ")
        composer.input.move_cursor(composer.input.document.end)
        await open_picker(pilot)
        await pilot.press(*"vip", "enter")
        await wait_for(pilot, lambda: app.screen is main)
        assert composer.input.text == "Thank you, [bold]Ana[/bold] Horvat, for being with us."
    assert await message_count(fresh_sandbox, conv_id) == sent_before


class PickerHost(App[Any]):
    """Shows a picker alone; ``result`` is what it dismissed with."""

    def __init__(self, picker: SnippetPicker) -> None:
        super().__init__()
        self.picker = picker
        self.result: Any = "not dismissed"

    async def on_mount(self) -> None:
        def done(result: Any) -> None:
            self.result = result

        await self.push_screen(self.picker, done)


async def test_fuzzy_search_by_name_and_text_and_arrow_keys() -> None:
    picker = SnippetPicker(ContactValues(name="Ivo"), SNIPPETS)
    app = PickerHost(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = picker.query_one(OptionList)
        assert [m.name for m in picker.matches] == list(SNIPPETS)  # file order
        await pilot.press(*"tyv")  # letters of "thank you vip" in order
        await pilot.pause()
        assert [m.name for m in picker.matches] == ["thank you vip"]
        for _ in "tyv":
            await pilot.press("backspace")
        await pilot.press(*"monday")  # in the text only
        await pilot.pause()
        assert [m.name for m in picker.matches] == ["hours"]
        for _ in "monday":
            await pilot.press("backspace")
        await pilot.press(*"thank")
        await pilot.pause()
        assert [m.name for m in picker.matches] == ["thanks", "thank you vip"]
        await pilot.press("down")  # the search box keeps the focus; the list moves
        await pilot.pause()
        assert options.highlighted == 1 and picker.highlighted is not None
        preview = str(picker.query_one("#snippet-preview", Static).render())
        assert preview == "Thank you, Ivo, for being with us."
        await pilot.press(*"zzz")
        await pilot.pause()
        assert picker.matches == []
        assert "No snippet matches" in str(picker.query_one("#snippet-preview", Static).render())
        await pilot.press("enter")  # nothing to choose: the picker stays
        await pilot.pause()
        assert app.screen is picker
        for _ in "zzz":
            await pilot.press("backspace")
        await pilot.pause()
        assert options.highlighted == 0  # a new query starts at its best match
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.result is not None
    assert app.result.text == "Thank you, Ivo, for being with us."


async def test_without_snippets_the_picker_says_how_to_add_them() -> None:
    picker = SnippetPicker(ContactValues(), {})
    app = PickerHost(picker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = str(picker.query_one("#snippet-preview", Static).render())
        assert "No snippets yet" in text
        assert "g s" in text and "[snippets]" in text and "{field:Field name}" in text
        assert not picker.query_one(OptionList).display
        await pilot.press("enter")  # nothing to insert
        await pilot.pause()
        assert app.screen is picker
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_g_s_and_the_palette_open_the_snippets_screen(sandbox: Any, tmp_path: Path) -> None:
    app: Any = make_app(sandbox, tmp_path)
    app.config.snippets = {"thanks": "Thank you!"}
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        await pilot.press("g", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SnippetsScreen))
        assert list(app.screen.snippets) == ["thanks"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"snippets")
        # The palette searches in a worker: press Enter once the command is highlighted.
        await wait_for(pilot, lambda: palette_highlights(app, "Snippets"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SnippetsScreen))
