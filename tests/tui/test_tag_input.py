"""Typing tags: the comma separated list and its completion from the account's tags."""

from __future__ import annotations

import pytest

from sendbee_tui.tui.screens.contacts.tag_input import TagSuggester, split_tags


def test_split_tags_trims_folds_and_takes_the_known_spelling() -> None:
    known = ["VIP", "called back"]
    assert split_tags(" vip,  called   back ,new , ,VIP,New", known) == [
        "VIP",
        "called back",
        "new",
    ]
    assert split_tags("", known) == []


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("ne", "new york"),  # the first match in alphabetical order
        ("news", "newsletter"),
        ("NEWS", "newsletter"),  # case is ignored; accepting takes the tag's spelling
        ("vip, wh", "vip, wholesale"),  # the last piece is completed
        ("vip,  WHOLE", "vip,  wholesale"),
        ("new york, ne", "new york, newsletter"),  # one already in the list is skipped
        ("newsletter", None),  # complete already
        ("zz", None),
        ("vip, ", None),
        ("", None),
    ],
)
async def test_suggestion_completes_the_last_piece(typed: str, suggested: str | None) -> None:
    suggester = TagSuggester(["wholesale", "newsletter", "vip", "", "new york"])
    assert await suggester.get_suggestion(typed) == suggested


async def test_the_contact_forms_new_tags_box_completes_too() -> None:
    from contacts_harness import offline_client, wait_until
    from textual.app import App
    from textual.widgets import Input

    from sendbee_tui.api import Contact, Tag
    from sendbee_tui.tui.screens.contacts import ContactForm

    class Host(App[None]):
        async def on_mount(self) -> None:
            await self.push_screen(
                ContactForm(
                    offline_client(),
                    contact=Contact(id="c1", name="Ana", phone="+385911234567"),
                    tags=[Tag(id="t1", name="Wholesale"), Tag(id="t2", name="vip")],
                )
            )

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.screen.query_one("#input-new_tags", Input)
        box.focus()
        await pilot.press(*"vip, who")
        await wait_until(pilot, lambda: box._suggestion == "vip, Wholesale")
        await pilot.press("right")
        assert box.value == "vip, Wholesale"
