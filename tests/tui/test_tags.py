"""TagsScreen and TagForm against the real sandbox (each mutating test on its own server)."""

from __future__ import annotations

from typing import Any

from contacts_harness import (
    current,
    error_of,
    form_status,
    host,
    offline_client,
    settle,
    shown_error,
    type_into,
    wait_for_palette,
)
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from sendbee_tui.api import SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.tags import TagForm, TagsScreen

SIZE = (100, 40)


def client_for(server: SandboxServer) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, base_url=server.base_url)


async def server_tags(server: SandboxServer) -> list[str]:
    async with client_for(server) as client:
        return sorted([t.name or "" async for t in client.tags.iterate()])


async def open_tags(pilot: Pilot[Any]) -> TagsScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, TagsScreen)
    return screen


async def select_tag(pilot: Pilot[Any], screen: TagsScreen, name: str) -> None:
    index = [t.name for t in screen.shown].index(name)
    table = screen.query_one("#tags-table", DataTable)
    table.focus()
    table.move_cursor(row=index)
    await pilot.pause()
    assert screen.selected is not None and screen.selected.name == name


async def test_create_rename_and_delete_a_tag(fresh_sandbox: SandboxServer) -> None:
    app = host(fresh_sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tags(pilot)
        before = [t.name for t in screen.tags]
        assert before == await server_tags(fresh_sandbox)

        # Create.
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TagForm)
        await pilot.press(*"summer-promo", "enter")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        assert "summer-promo" in [t.name for t in screen.tags]
        assert screen.selected is not None and screen.selected.name == "summer-promo"

        # Rename (Enter on the row opens the rename form).
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TagForm)
        assert form.values()["name"] == "summer-promo"
        await type_into(pilot, form, "name", "autumn-promo")
        await pilot.press("enter")
        await settle(pilot)
        assert current(app) is screen
        names = [t.name for t in screen.tags]
        assert "autumn-promo" in names and "summer-promo" not in names

        # Delete: the confirmation counts the contacts carrying it (none here).
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        message = str(app.screen.query_one("#confirm-message", Static).render())
        assert "“autumn-promo”" in message
        assert "0 contacts carry it" in message
        await pilot.press("y")
        await settle(pilot)
        assert current(app) is screen
        assert [t.name for t in screen.tags] == before
    assert await server_tags(fresh_sandbox) == sorted(name or "" for name in before)


async def test_delete_confirmation_says_how_many_contacts_carry_the_tag(
    fresh_sandbox: SandboxServer,
) -> None:
    async with client_for(fresh_sandbox) as client:
        carrying = (await client.contacts.list(tags=["vip"], limit=1)).meta.total
    assert carrying is not None and carrying > 1
    app = host(fresh_sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tags(pilot)
        await select_tag(pilot, screen, "vip")
        await pilot.press("d")
        await settle(pilot)
        message = str(app.screen.query_one("#confirm-message", Static).render())
        assert f"{carrying} contacts carry it and will lose it." in message
        await pilot.press("n")  # declined: nothing happens
        await settle(pilot)
        assert "vip" in [t.name for t in screen.tags]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "vip" not in [t.name for t in screen.tags]
    async with client_for(fresh_sandbox) as client:
        assert "vip" not in [t.name async for t in client.tags.iterate()]


async def test_duplicate_and_empty_names_are_refused_before_any_request(
    fresh_sandbox: SandboxServer,
) -> None:
    before = await server_tags(fresh_sandbox)
    app = host(fresh_sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await open_tags(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TagForm)
        await pilot.press("enter")
        await settle(pilot)
        assert error_of(form, "name") == "This field is required."
        await pilot.press(*" VIP ", "enter")  # an existing tag, other case and spaces
        await settle(pilot)
        assert shown_error(form, "name") == "A tag with this name already exists."
        assert form.values()["name"] == " VIP "
        assert form.submit_count == 0
    assert await server_tags(fresh_sandbox) == before


async def test_server_duplicate_is_shown_next_to_the_name(fresh_sandbox: SandboxServer) -> None:
    app = host(fresh_sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await open_tags(pilot)
        # Someone else creates the tag after the list was loaded.
        async with client_for(fresh_sandbox) as client:
            await client.tags.create("late-arrival")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"late-arrival", "enter")
        await settle(pilot)
        assert isinstance(form, TagForm) and current(app) is form
        assert form.submit_count == 1
        assert "already exists" in shown_error(form, "name")
        assert form.values()["name"] == "late-arrival"


async def test_filter_and_palette(sandbox: SandboxServer) -> None:
    app = host(sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tags(pilot)
        await pilot.press("slash", *"ne")
        await pilot.pause()
        assert [t.name for t in screen.shown] == [
            t.name for t in screen.tags if "ne" in (t.name or "")
        ]
        await pilot.press("enter")  # back to the list
        assert app.focused is screen.query_one("#tags-table")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tags: new")
        await wait_for_palette(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TagForm)


async def test_arrows_in_the_filter_choose_and_enter_renames(sandbox: SandboxServer) -> None:
    app = host(sandbox, TagsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tags(pilot)
        await pilot.press("slash", *"e")
        await pilot.pause()
        assert len(screen.shown) >= 2
        await pilot.press("down")
        assert app.focused is screen.query_one("#tags-filter")
        assert screen.selected is screen.shown[1]
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TagForm) and form.tag is screen.shown[1]


def test_bindings_have_ids_and_palette_entries() -> None:
    bindings = [b for b in TagsScreen.BINDINGS if isinstance(b, Binding)]
    assert all(b.id and b.id.startswith(("tags.", "records.")) for b in bindings)
    bindings = [b for b in bindings if b.id and b.id.startswith("tags.")]
    commands = {c.callback.__name__ for c in TagsScreen(offline_client()).palette_commands()}
    assert {f"action_{b.action}" for b in bindings} <= commands
