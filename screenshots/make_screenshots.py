"""Write the README's SVG screenshots into ``screenshots/``.

Uses the sandbox with a fixed clock and seeded data, so the pictures are the same
on every run.  Usage:  python screenshots/make_screenshots.py [NAME.svg ...]
(no names: every picture).  What each inbox picture shows is in
``inbox_scenes.py`` (and ``team_scene.py``); as in a brand-new demo, the agent
is taken to have last looked ``cli.DEMO_UNREAD_WINDOW`` (three hours) before the
fixed "now", so what came in since is unread.

The template and contact forms are shown by small showcase apps defined here
(not in the package: showing off is not the app's job).  The tests load this
file to check the showcase still renders, and the contact form's snapshot test
uses the same fixed data, so the README picture and the snapshot agree.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path

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
from sendbee_tui.cli import DEMO_UNREAD_WINDOW
from sendbee_tui.config import AppConfig, Paths, Profile, Settings
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui import template_text as tt
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.inbox import open_local_state
from sendbee_tui.tui.safe_text import clean_model
from sendbee_tui.tui.screens.contacts import ContactForm
from sendbee_tui.tui.screens.templates import TemplateFormScreen

OUT = Path(__file__).resolve().parent
if str(OUT) not in sys.path:  # the scenes live beside this script (loaded by path in tests)
    sys.path.insert(0, str(OUT))

import inbox_scenes as scenes  # noqa: E402
import team_scene  # noqa: E402

FIXED_NOW = 1_795_000_000.0


@dataclass(frozen=True)
class Shot:
    """One README picture of the inbox: file name, terminal size, what happens before."""

    name: str
    size: tuple[int, int]
    #: ``scene(pilot)``, or ``scene(pilot, sandbox)`` for an ``own_sandbox`` shot.
    scene: Callable[..., Awaitable[None]]
    #: The scene changes the sandbox (stops it): it gets a sandbox of its own.
    own_sandbox: bool = False


SHOTS: list[Shot] = [
    Shot("inbox-160x48.svg", (160, 48), scenes.inbox_open),
    Shot("inbox-80x24.svg", (80, 24), scenes.inbox_open),
    Shot("composer-120x36.svg", (120, 36), scenes.composing),
    Shot("window-closed-120x36.svg", (120, 36), scenes.window_closed),
    Shot("help-100x40.svg", (100, 40), scenes.help_screen),
    Shot("filters-120x36.svg", (120, 36), scenes.filters),
    Shot("snippets-120x36.svg", (120, 36), scenes.snippet_picker),
    Shot("contact-at-hand-160x48.svg", (160, 48), scenes.contact_at_hand),
    Shot("outbox-120x36.svg", (120, 36), scenes.outbox, own_sandbox=True),
    Shot("outbox-screen-120x36.svg", (120, 36), scenes.outbox_screen, own_sandbox=True),
]


def _config(server: SandboxServer, home: Path) -> AppConfig:
    return AppConfig(
        paths=Paths(home / "config", home / "data"),
        profile=Profile("demo", server.api_key, server.api_secret, server.base_url),
        settings=Settings(poll_list_seconds=60, poll_thread_seconds=60),
        demo=True,
        clock=lambda: FIXED_NOW,
        snippets=dict(scenes.SNIPPETS),
    )


TEAM_SHOT = Shot("team-list-130x36.svg", (130, 36), team_scene.team_list)


async def shoot_team(tmp: Path) -> None:
    """Borna's team session: Ana's claim and presence on the rows (its own sandbox and hub)."""

    def configure(config: AppConfig) -> None:
        config.clock = lambda: FIXED_NOW
        _last_seen(config, FIXED_NOW - DEMO_UNREAD_WINDOW)

    def save(app: SendbeeApp) -> None:
        app.save_screenshot(filename=TEAM_SHOT.name, path=str(OUT))

    with SandboxServer(clock=lambda: FIXED_NOW) as sandbox:
        await TEAM_SHOT.scene(sandbox, tmp / "team", TEAM_SHOT.size, configure, save)
    print(f"wrote {OUT / TEAM_SHOT.name}")  # noqa: T201


def _last_seen(config: AppConfig, when: float) -> None:
    """Start the local state as if the agent had last looked at ``when`` (read marks)."""
    assert config.profile is not None
    opened = open_local_state(config.paths, config.profile, lambda: when)
    opened.state.close()
    opened.store.close()


async def _shoot(shot: Shot, server: SandboxServer, home: Path) -> None:
    config = _config(server, home)
    _last_seen(config, FIXED_NOW - DEMO_UNREAD_WINDOW)
    app = SendbeeApp(config)
    async with app.run_test(size=shot.size) as pilot:
        await (shot.scene(pilot, server) if shot.own_sandbox else shot.scene(pilot))
        # No await between the scene's last check and the picture.
        app.save_screenshot(filename=shot.name, path=str(OUT))
    print(f"wrote {OUT / shot.name}")  # noqa: T201


async def shoot(server: SandboxServer, tmp: Path, only: Collection[str] = ()) -> None:
    """Write every inbox picture (or those named in ``only``)."""
    for shot in SHOTS:
        if only and shot.name not in only:
            continue
        if shot.own_sandbox:
            with SandboxServer(clock=lambda: FIXED_NOW) as own:
                await _shoot(shot, own, tmp / shot.name)
        else:
            await _shoot(shot, server, tmp / shot.name)


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


def main(argv: list[str] | None = None) -> None:
    """Write every picture, or only those named on the command line (file names)."""
    only = set(sys.argv[1:] if argv is None else argv)
    known = {s.name for s in SHOTS} | {TEAM_SHOT.name, "template_form.svg", "contact_form.svg"}
    if only - known:
        raise SystemExit(f"unknown picture(s): {sorted(only - known)}; known: {sorted(known)}")
    # The outbox picture stops its sandbox: the client's retry warnings are expected.
    logging.basicConfig(level=logging.ERROR)
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(clock=lambda: FIXED_NOW) as server:
        asyncio.run(shoot(server, Path(tmp), only))
        if not only or TEAM_SHOT.name in only:
            asyncio.run(shoot_team(Path(tmp)))
        if not only or "template_form.svg" in only:
            written = save_template_form_screenshot(
                str(OUT / "template_form.svg"),
                base_url=server.base_url,
                api_key=server.api_key,
                api_secret=server.api_secret,
            )
            print(f"wrote {written}")  # noqa: T201
    if not only or "contact_form.svg" in only:
        written_form = asyncio.run(save_contact_form_screenshot(OUT / "contact_form.svg"))
        print(f"wrote {written_form}")  # noqa: T201


if __name__ == "__main__":
    main()
