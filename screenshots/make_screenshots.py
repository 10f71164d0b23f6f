"""Write SVG screenshots of the inbox's main screens into ``screenshots/``.

Uses the sandbox with a fixed clock and seeded data, so the pictures are the same
on every run.  Usage:  python screenshots/make_screenshots.py

The template and contact forms are shown by small showcase apps defined here
(not in the package: showing off is not the app's job).  The tests load this
file to check the showcase still renders, and the contact form's snapshot test
uses the same fixed data, so the README picture and the snapshot agree.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Button, Input, TextArea

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import (
    Contact,
    ContactField,
    ContactFieldValue,
    Note,
    Tag,
    Template,
)
from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.safe_text import clean_model
from sendbee_tui.tui.screens.contacts import ContactForm
from sendbee_tui.tui.screens.templates import TemplateFormScreen

OUT = Path(__file__).resolve().parent
FIXED_NOW = 1_795_000_000.0


async def _until(pilot: Any, predicate: Callable[[], Any], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError("screen did not become ready")
        await pilot.pause(0.02)


async def _settled_thread(pilot: Any) -> None:
    """A short thread fetches older pages until the pane is full: wait for that."""
    thread = pilot.app.main_screen.thread
    await _until(
        pilot,
        lambda: (
            not pilot.app.inbox.loading_older
            and (
                not thread.has_older
                or len(thread._lines) >= thread.scrollable_content_region.height
            )
        ),
    )
    await pilot.pause()


async def _ready(pilot: Any) -> None:
    app = pilot.app
    await _until(pilot, lambda: app.main_screen is not None and app.main_screen.conv_list.rows)
    main = app.main_screen
    await _until(
        pilot, lambda: all(app.inbox.preview(c) is not None for c in main.conv_list.rows[:10])
    )
    await _until(pilot, lambda: len(main.query_one("FolderTabs").counts) == 4)


async def inbox_open(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("enter")
    main = pilot.app.main_screen
    await _until(pilot, lambda: main.thread.messages)
    await _until(
        pilot, lambda: main.contact_pane.contact is not None or not main.contact_pane.display
    )
    await _settled_thread(pilot)


async def composing(pilot: Any) -> None:
    await _ready(pilot)
    main = pilot.app.main_screen
    now = pilot.app.inbox.clock()
    from sendbee_tui.tui.inbox import window_left

    target = next(c for c in main.conv_list.rows if window_left(c, now) and not c.chatbot_active)
    main.conv_list.move_to(target.id)
    await pilot.press("enter")
    await _until(pilot, lambda: main.thread.messages)
    await _settled_thread(pilot)
    await pilot.press("r", *"Thanks! Your order ships tomorrow.", "ctrl+j", *"Tracking: ")
    await pilot.pause()


async def window_closed(pilot: Any) -> None:
    await _ready(pilot)
    main = pilot.app.main_screen
    now = pilot.app.inbox.clock()
    from sendbee_tui.tui.inbox import window_left

    target = next(c for c in main.conv_list.rows if window_left(c, now) is None)
    main.conv_list.move_to(target.id)
    await pilot.press("enter")
    await _until(pilot, lambda: main.thread.messages)
    await _settled_thread(pilot)


async def help_screen(pilot: Any) -> None:
    await _ready(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


SHOTS: list[tuple[str, tuple[int, int], Callable[[Any], Awaitable[None]]]] = [
    ("inbox-160x48.svg", (160, 48), inbox_open),
    ("inbox-80x24.svg", (80, 24), inbox_open),
    ("composer-120x36.svg", (120, 36), composing),
    ("window-closed-120x36.svg", (120, 36), window_closed),
    ("help-100x40.svg", (100, 40), help_screen),
]


async def shoot(server: SandboxServer, tmp: Path) -> None:
    for name, size, steps in SHOTS:
        config = AppConfig(
            paths=Paths(tmp / name / "config", tmp / name / "data"),
            profile=Profile("demo", server.api_key, server.api_secret, server.base_url),
            settings=Settings(poll_list_seconds=60, poll_thread_seconds=60),
            demo=True,
            clock=lambda: FIXED_NOW,
        )
        app = SendbeeApp(config)
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            app.save_screenshot(filename=name, path=str(OUT))
        print(f"wrote {OUT / name}")  # noqa: T201


# --------------------------------------------------------------------------- template form


class _FormShowcase(App[None]):
    """A bare app showing the template form, for the README screenshot."""

    def __init__(self, client_factory: Callable[[], SendbeeClient]) -> None:
        super().__init__()
        self._client_factory = client_factory
        self.client: SendbeeClient | None = None

    async def on_mount(self) -> None:
        self.client = self._client_factory()


async def render_template_form_svg(
    client_factory: Callable[[], SendbeeClient],
    *,
    keyword: str | None = None,
    phone: str = "+385911234567",
    contact_name: str = "Ana Horvat",
    size: tuple[int, int] = (120, 36),
    fill: dict[str, str] | None = None,
) -> str:
    """Render the template form filled in with demo values and return the SVG.

    ``client_factory`` builds a SendbeeClient inside the app's event loop (the
    client's connection pool belongs to that loop).  The first approved template
    with placeholders, buttons and an attachment is shown unless ``keyword`` is given.
    """
    app = _FormShowcase(client_factory)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        client = app.client
        assert client is not None
        templates = [t async for t in client.templates.iterate() if tt.sendable(t)]
        chosen = _showcase_template(templates, keyword)
        contact = Contact(name=contact_name, phone=phone)
        form = TemplateFormScreen(client, clean_model(chosen), phone=phone, contact=contact)
        await app.push_screen(form)
        await pilot.pause()
        await app.workers.wait_for_complete()
        for field_input in form.query(Input):
            field_input.cursor_blink = False
        demo = fill or {}
        for name, row in form.fields.items():
            if isinstance(row.control, Input):
                row.control.value = demo.get(name, _demo_value(name, chosen, contact_name))
        await pilot.pause()
        form.query_one("#form-submit", Button).focus()
        await pilot.pause()
        svg = app.export_screenshot(title="sendbee-tui: send a template")
        await client.aclose()
    return svg


def _showcase_template(templates: list[Template], keyword: str | None) -> Template:
    if keyword:
        for template in templates:
            if template.keyword == keyword:
                return template
        raise LookupError(f"no approved template with keyword {keyword!r}")

    def richness(t: Template) -> tuple[bool, bool, bool, int]:
        return (
            bool(tt.attachment_rule(t.attachment)),
            bool(tt.button_placeholders(t)),
            bool(tt.text_placeholders(t)),
            len(tt.text_placeholders(t)),
        )

    if not templates:
        raise LookupError("no approved templates")
    return max(templates, key=richness)


def _demo_value(field_name: str, template: Template, contact_name: str) -> str:
    if field_name == "tag_1":
        return contact_name.split()[0]
    if field_name.startswith("tag_"):
        return f"#{1040 + int(field_name[4:]) if field_name[4:].isdigit() else 1}"
    if field_name.startswith("button_"):
        return "A1B2C3"
    if field_name == "attachment":
        rule = tt.attachment_rule(template.attachment)
        ext = rule.extensions[0] if rule else "jpg"
        return f"https://cdn.example.com/demo/offer.{ext}"
    return ""


def save_template_form_screenshot(
    path: str,
    *,
    base_url: str,
    api_key: str,
    api_secret: str,
    keyword: str | None = None,
    size: tuple[int, int] = (120, 36),
) -> str:
    """Write ``screenshots/template_form.svg`` (or ``path``) from a running server.

    Point it at a sandbox: ``save_template_form_screenshot("screenshots/template_form.svg",
    base_url=server.base_url, api_key=server.api_key, api_secret=server.api_secret)``.
    Returns the path written.
    """

    def factory() -> SendbeeClient:
        return SendbeeClient(api_key, api_secret, base_url=base_url)

    svg = asyncio.run(render_template_form_svg(factory, keyword=keyword, size=size))
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(svg, encoding="utf-8")
    return str(target)


# --------------------------------------------------------------------------- contact form


def contact_preview_data() -> tuple[Contact, list[Tag], list[ContactField]]:
    """A fixed contact with one field of each type: the same picture every run."""
    tags = [Tag(id="t1", name="vip"), Tag(id="t2", name="newsletter"), Tag(id="t3", name="lead")]
    fields = [
        ContactField(id="f1", name="City", type="text"),
        ContactField(id="f2", name="Orders", type="number"),
        ContactField(id="f3", name="Birthday", type="date"),
        ContactField(id="f4", name="Plan", type="list", options=("Free", "Pro", "Business")),
        ContactField(id="f5", name="Opted in", type="boolean"),
    ]
    contact = Contact(
        id="c-preview",
        name="Ana Horvat",
        phone="+385911234567",
        status="subscribed",
        tags=(tags[0],),
        notes=(Note(id="n1", value="Prefers messages in the morning."),),
        contact_fields=(
            ContactFieldValue(key="City", value="Zagreb"),
            ContactFieldValue(key="Orders", value=12),
            ContactFieldValue(key="Birthday", value="1990-04-17"),
            ContactFieldValue(key="Plan", value="Pro"),
            ContactFieldValue(key="Opted in", value=True),
        ),
    )
    return contact, tags, fields


class _ContactFormPreview(App[None]):
    """Shows the contact form on fixed data, for the snapshot test and screenshots.

    Nothing is saved: the client points at a closed port and is never used
    (the form makes requests only when submitted).
    """

    async def on_mount(self) -> None:
        contact, tags, fields = contact_preview_data()
        self.client = SendbeeClient("preview", "preview", base_url="http://127.0.0.1:9")
        form = ContactForm(self.client, contact=contact, tags=tags, fields=fields)
        await self.push_screen(form)
        # A blinking cursor would make every screenshot different.
        for box in form.query(Input):
            box.cursor_blink = False
        for area in form.query(TextArea):
            area.cursor_blink = False

    async def on_unmount(self) -> None:
        await self.client.aclose()


def contact_form_preview_app() -> App[None]:
    """An app showing the contact form on fixed data (no network; deterministic)."""
    return _ContactFormPreview()


async def save_contact_form_screenshot(
    path: str | Path = OUT / "contact_form.svg", size: tuple[int, int] = (100, 48)
) -> Path:
    """Render the contact form headless and save it as an SVG."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    app = contact_form_preview_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        svg = app.export_screenshot(title="sendbee-tui — contact form")
    target.write_text(svg, encoding="utf-8")
    return target


def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(clock=lambda: FIXED_NOW) as server:
        asyncio.run(shoot(server, Path(tmp)))
        written = save_template_form_screenshot(
            str(OUT / "template_form.svg"),
            base_url=server.base_url,
            api_key=server.api_key,
            api_secret=server.api_secret,
        )
        print(f"wrote {written}")  # noqa: T201
    print(f"wrote {asyncio.run(save_contact_form_screenshot(OUT / 'contact_form.svg'))}")  # noqa: T201


if __name__ == "__main__":
    main()
