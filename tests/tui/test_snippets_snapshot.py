"""SVG snapshots of the snippet picker at 80x24 and 160x48.

The picker is shown on its own with fixed snippets and a fixed contact, so the
picture only changes when the picker does: a query ("or") that matches names and
text, the letters it matched underlined, and a preview with one placeholder
still to fill.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.pilot import Pilot

from sendbee_tui.tui.screens.snippets import SnippetPicker
from sendbee_tui.tui.snippets import ContactValues

SNIPPETS = {
    "thanks": "Thank you for your message! We'll get back to you shortly.",
    "order status": (
        "Hi {first_name}, your order {field:Order id} is on its way to {field:City}.\n"
        "You can follow it with the link in the e-mail we sent to you.\n\n"
        "Kind regards,\nthe Sendbee shop"
    ),
    "hours": "We are open Monday to Friday, 9-17.",
    "thank you vip": "Thank you, {name}, for being one of our best customers!",
}

ANA = ContactValues(name="Ana Horvat", phone="+385911234567", fields={"City": "Zagreb"})


class PickerHost(App[None]):
    async def on_mount(self) -> None:
        await self.push_screen(SnippetPicker(ANA, SNIPPETS))


async def _search(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.press("o", "r")
    await pilot.pause()


def test_snippet_picker_80x24(snap_compare: Any) -> None:
    assert snap_compare(PickerHost(), terminal_size=(80, 24), run_before=_search)


def test_snippet_picker_160x48(snap_compare: Any) -> None:
    assert snap_compare(PickerHost(), terminal_size=(160, 48), run_before=_search)
