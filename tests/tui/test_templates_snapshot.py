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

#: Named placeholders (``{name}``), one of them in the button's URL.
DELIVERY_SLOT = Template.from_dict(
    {
        "id": "tpl-slot",
        "keyword": "delivery_slot",
        "name": "Delivery slot",
        "category": "UTILITY",
        "language": "en",
        "status": "approved",
        "text": "Hi {name}, your delivery is booked for {day} between {from_time} and {to_time}.",
        "tags": [{"name": "name"}, {"name": "day"}, {"name": "from_time"}, {"name": "to_time"}],
        "buttons": [
            {
                "index": 0,
                "type": "url",
                "title": "Change the slot",
                "value": "https://shop.example.com/slot/{booking}",
            }
        ],
        "button_tags": [{"name": "booking"}],
        "attachment": None,
        "rejected_reason": None,
    }
)

CONTACT = Contact(name="Ana Horvat", phone="+385911234567")


class FormHost(App[None]):
    def __init__(self, server: Any, template: Template = SPRING_OFFER) -> None:
        super().__init__()
        self._server = server
        self._template = template
        self.client: SendbeeClient | None = None

    async def on_mount(self) -> None:
        s = self._server
        self.client = SendbeeClient(s.api_key, s.api_secret, base_url=s.base_url, timeout=10)
        await self.push_screen(TemplateFormScreen(self.client, self._template, contact=CONTACT))

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


SPRING_VALUES = {
    "tag_1": "Ana",
    "tag_2": "20 %",
    "button_1": "SPRING-7Q2X",
    "attachment": "https://cdn.example.com/spring/banner.png",
}
SLOT_VALUES = {"tag_name": "Ana", "tag_day": "Friday", "tag_from_time": "9:00"}


async def _fill_in(pilot: Pilot[Any], values: dict[str, str] = SPRING_VALUES) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, TemplateFormScreen)
    for field_input in form.query(Input):
        field_input.cursor_blink = False
    for name, value in values.items():
        form.fields[name].control.value = value  # type: ignore[attr-defined]
    await pilot.pause()
    form.query_one("#form-submit", Button).focus()
    await pilot.pause()


def test_template_form_snapshot(snap_compare: Any, sandbox: Any) -> None:
    """Placeholders, a dynamic button URL, an image attachment; {{3}} still empty."""
    assert snap_compare(FormHost(sandbox), terminal_size=(120, 36), run_before=_fill_in)


async def _fill_in_slot(pilot: Pilot[Any]) -> None:
    await _fill_in(pilot, SLOT_VALUES)


def test_named_template_form_80x24(snap_compare: Any, sandbox: Any) -> None:
    """Named placeholders labelled by name; {to_time} and the button's {booking} still empty."""
    app = FormHost(sandbox, DELIVERY_SLOT)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_fill_in_slot)


def test_named_template_form_160x48(snap_compare: Any, sandbox: Any) -> None:
    app = FormHost(sandbox, DELIVERY_SLOT)
    assert snap_compare(app, terminal_size=(160, 48), run_before=_fill_in_slot)


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
