"""Contacts, tags and fields screens inside the real SendbeeApp (g c, g t, g f)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import wait_for_screen
from inbox_helpers import make_app, ready, wait_for
from textual.screen import Screen

from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.screens.contacts import ContactForm, ContactsScreen
from sendbee_tui.tui.screens.fields import FieldsScreen
from sendbee_tui.tui.screens.tags import TagsScreen
from sendbee_tui.tui.widgets.record_list import RecordScreen


def loaded(screen: Screen[Any]) -> bool:
    """Whether a record screen shows what it fetched through its client."""
    if isinstance(screen, ContactsScreen):
        return bool(screen.contacts)
    if isinstance(screen, TagsScreen):
        return bool(screen.tags)
    return isinstance(screen, FieldsScreen) and bool(screen.field_list)


SIZE = (160, 50)


async def test_goto_keys_open_the_screens_with_the_app_client(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.screen
        for key in ("c", "t", "f"):
            await pilot.press("g", key)
            await wait_for(pilot, lambda: app.screen is not main)
            screen = app.screen
            # Each screen was given the app's client and loads through it.
            assert isinstance(screen, RecordScreen)
            assert screen.client is app.client
            await wait_for(pilot, lambda: loaded(app.screen))
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is main)


async def test_open_conversation_from_contacts_switches_the_inbox(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.screen
        assert app.client is not None
        conversation = (await app.client.conversations.list(limit=1)).items[0]
        phone = conversation.contact.phone
        assert phone
        await pilot.press("g", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await pilot.press("slash", *phone[1:], "enter")
        await wait_for(pilot, lambda: [c.phone for c in screen.contacts] == [phone])
        await pilot.press("o")
        await wait_for(pilot, lambda: app.screen is main)
        await wait_for(
            pilot,
            lambda: (
                app.inbox is not None
                and getattr(app.inbox.current_conversation, "id", None) == conversation.id
            ),
        )


async def test_edit_from_the_app_updates_what_the_server_stored(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("g", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ContactsScreen))
        screen = app.screen
        assert isinstance(screen, ContactsScreen)
        await wait_for(pilot, lambda: bool(screen.contacts))
        await pilot.press("e")
        form = await wait_for_screen(pilot, ContactForm)
        original = form.contact
        assert original is not None
        form.query_one("#input-name").value = "Renamed In App"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        # Never wait for all workers here: the app's pollers run forever.
        stored = next(c for c in screen.contacts if c.id == original.id)
        assert stored.name == "Renamed In App"
        assert "Renamed In App" in str(screen.query_one("#contact-detail-body").render())
