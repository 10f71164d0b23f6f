"""SVG snapshot of the template form, and the README screenshot function (in screenshots/).

The template is defined here (not read from the demo data) so the picture only
changes when the form does.  The form still talks to the sandbox for the team
members, exactly as in the app; no cursor is shown (focus is on Send, blinking off).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contacts_harness import screenshots_script
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Button, Input

from sendbee_tui.api import Contact, SendbeeClient, Template
from sendbee_tui.tui.screens.templates import TemplateFormScreen

SPRING_OFFER = Template.from_dict(
    {
        "id": "tpl-spring",
        "keyword": "spring_offer",
        "name": "Spring offer",
        "category": "MARKETING",
        "language": "en",
        "status": "approved",
        "text": "Hi {{1}}, your {{2}} discount code is ready. Show it in any store until {{3}}.",
        "tags": [{"name": "{{1}}"}, {"name": "{{2}}"}, {"name": "{{3}}"}],
        "buttons": [
            {
                "index": 0,
                "type": "url",
                "title": "Get the code",
                "value": "https://shop.example.com/offer/{{1}}",
            },
            {"index": 1, "type": "quick_reply", "title": "Stop promotions", "value": "STOP"},
        ],
        "button_tags": [{"name": "{{1}}"}],
        "attachment": "image",
        "rejected_reason": None,
    }
)

CONTACT = Contact(name="Ana Horvat", phone="+385911234567")


class FormHost(App[None]):
    def __init__(self, server: Any) -> None:
        super().__init__()
        self._server = server
        self.client: SendbeeClient | None = None

    async def on_mount(self) -> None:
        s = self._server
        self.client = SendbeeClient(s.api_key, s.api_secret, base_url=s.base_url, timeout=10)
        await self.push_screen(TemplateFormScreen(self.client, SPRING_OFFER, contact=CONTACT))

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


async def _fill_in(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, TemplateFormScreen)
    for field_input in form.query(Input):
        field_input.cursor_blink = False
    values = {
        "tag_1": "Ana",
        "tag_2": "20 %",
        "button_1": "SPRING-7Q2X",
        "attachment": "https://cdn.example.com/spring/banner.png",
    }
    for name, value in values.items():
        form.fields[name].control.value = value  # type: ignore[attr-defined]
    await pilot.pause()
    form.query_one("#form-submit", Button).focus()
    await pilot.pause()


def test_template_form_snapshot(snap_compare: Any, sandbox: Any) -> None:
    """Placeholders, a dynamic button URL, an image attachment; {{3}} still empty."""
    assert snap_compare(FormHost(sandbox), terminal_size=(120, 36), run_before=_fill_in)


def test_template_form_screenshot_function(sandbox: Any, tmp_path: Path) -> None:
    """The README screenshot (screenshots/make_screenshots.py) still renders the form."""
    target = tmp_path / "shots" / "template_form.svg"
    written = screenshots_script().save_template_form_screenshot(
        str(target),
        base_url=sandbox.base_url,
        api_key=sandbox.api_key,
        api_secret=sandbox.api_secret,
    )
    assert written == str(target)
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "What&#160;the&#160;customer&#160;gets" in svg or "What the customer gets" in svg
