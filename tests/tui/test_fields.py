"""FieldsScreen and FieldForm against the real sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from contacts_harness import (
    current,
    error_of,
    form_status,
    host,
    offline_client,
    settle,
    shown_error,
    type_into,
)
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TextArea

from sendbee_tui.api import FIELD_TYPES, ContactField, SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.fields import FieldForm, FieldsScreen

SIZE = (100, 40)


def client_for(server: SandboxServer) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, base_url=server.base_url)


async def server_fields(server: SandboxServer) -> dict[str, ContactField]:
    async with client_for(server) as client:
        return {f.name or "": f async for f in client.fields.iterate()}


async def open_fields(pilot: Pilot[Any]) -> FieldsScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FieldsScreen)
    return screen


async def new_field_form(pilot: Pilot[Any]) -> FieldForm:
    await pilot.press("a")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, FieldForm)
    return form


async def set_type(pilot: Pilot[Any], form: FieldForm, kind: str) -> None:
    form.query_one("#input-type", Select).value = kind
    await pilot.pause()


@pytest.mark.parametrize("kind", FIELD_TYPES)
async def test_create_a_field_of_each_type(fresh_sandbox: SandboxServer, kind: str) -> None:
    app = host(fresh_sandbox, FieldsScreen)
    name = f"Test {kind} field"
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_fields(pilot)
        form = await new_field_form(pilot)
        options = form.query_one("#field-options")
        assert not options.display  # only list fields have options
        await pilot.press(*name)
        await set_type(pilot, form, kind)
        assert options.display is (kind == "list")
        if kind == "list":
            form.query_one("#input-options", TextArea).text = "Small\n Medium \n\nLarge\nsmall\n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        shown = {f.name: f for f in screen.field_list}
        assert shown[name].type == kind
        assert screen.selected is not None and screen.selected.name == name
    stored = (await server_fields(fresh_sandbox))[name]
    assert stored.type == kind
    assert stored.options == (("Small", "Medium", "Large") if kind == "list" else ())


async def test_list_field_without_options_and_duplicates_are_refused(
    fresh_sandbox: SandboxServer,
) -> None:
    before = await server_fields(fresh_sandbox)
    app = host(fresh_sandbox, FieldsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await open_fields(pilot)
        form = await new_field_form(pilot)
        await pilot.press(*"Sizes")
        await set_type(pilot, form, "list")
        form.query_one("#input-options", TextArea).text = "\n   \n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown_error(form, "options") == (
            "A list field needs at least one option (one per line)."
        )
        assert app.focused is form.query_one("#input-options")
        await type_into(pilot, form, "name", "plan")  # "Plan" exists in the demo data
        await pilot.press("enter")
        await settle(pilot)
        assert error_of(form, "name") == "A field with this name already exists."
        assert form.submit_count == 0
        assert form.values()["name"] == "plan"
        assert form.values()["type"] == "list"
    assert (await server_fields(fresh_sandbox)).keys() == before.keys()


async def test_edit_and_delete_a_field(fresh_sandbox: SandboxServer) -> None:
    app = host(fresh_sandbox, FieldsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_fields(pilot)
        index = [f.name for f in screen.field_list].index("Plan")
        table = screen.query_one("#fields-table", DataTable)
        table.focus()
        table.move_cursor(row=index)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FieldForm)
        assert form.query_one("#field-options").display
        assert form.values()["options"] == "Free\nPro\nEnterprise"
        await type_into(pilot, form, "name", "Subscription plan")
        form.query_one("#input-options", TextArea).text = "Free\nPro\nEnterprise\nStudent"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        edited = screen.selected
        assert edited is not None and edited.name == "Subscription plan"
        assert edited.options == ("Free", "Pro", "Enterprise", "Student")

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        message = str(app.screen.query_one("#confirm-message", Static).render())
        assert "“Subscription plan” (list)" in message
        await pilot.press("y")
        await settle(pilot)
        assert "Subscription plan" not in [f.name for f in screen.field_list]
    assert "Subscription plan" not in await server_fields(fresh_sandbox)


async def test_escape_with_changes_asks(sandbox: SandboxServer) -> None:
    app = host(sandbox, FieldsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_fields(pilot)
        form = await new_field_form(pilot)
        await set_type(pilot, form, "date")  # a change of the type alone counts
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert current(app) is screen


def test_bindings_have_ids_and_palette_entries() -> None:
    bindings = [b for b in FieldsScreen.BINDINGS if isinstance(b, Binding)]
    assert all(b.id and b.id.startswith(("fields.", "records.")) for b in bindings)
    bindings = [b for b in bindings if b.id and b.id.startswith("fields.")]
    commands = {c.callback.__name__ for c in FieldsScreen(offline_client()).palette_commands()}
    assert {f"action_{b.action}" for b in bindings} <= commands
