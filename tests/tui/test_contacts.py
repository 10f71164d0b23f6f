"""ContactsScreen and ContactForm, driven with a pilot against the real sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contacts_harness import (
    current,
    error_of,
    focused,
    form_status,
    host,
    offline_client,
    screenshots_script,
    settle,
    shown_error,
    type_into,
    wait_for_palette,
    wait_until,
)
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, SelectionList, Static, Switch, TextArea

from sendbee_tui.api import Contact, SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.contacts import PAGE_SIZE, ContactForm, ContactsScreen
from sendbee_tui.tui.screens.templates import TemplatePickerScreen

SIZE = (140, 50)


async def open_contacts(pilot: Pilot[Any]) -> ContactsScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ContactsScreen)
    return screen


def detail_text(screen: ContactsScreen) -> str:
    return str(screen.query_one("#contact-detail-body", Static).render())


def custom_row(form: ContactForm, field_name: str) -> str:
    """The form row name ("cf3") of the custom field called ``field_name``."""
    for row_name, definition in form._custom.items():
        if definition.name == field_name:
            return row_name
    raise AssertionError(f"no custom field {field_name!r} in the form")


async def api(server: SandboxServer) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, base_url=server.base_url)


async def move_to(pilot: Pilot[Any], screen: ContactsScreen, contact_id: str) -> Contact:
    table = screen.query_one("#contacts-table", DataTable)
    index = next(i for i, c in enumerate(screen.contacts) if c.id == contact_id)
    table.focus()
    table.move_cursor(row=index)
    await pilot.pause()
    return screen.contacts[index]


# ----------------------------------------------------------------------------- list


async def test_list_pages_lazily_and_shows_details(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        table = screen.query_one("#contacts-table", DataTable)
        total = screen.total
        assert total is not None and total > PAGE_SIZE  # the demo data has more than a page
        assert table.row_count == PAGE_SIZE  # only the first page was fetched
        first = screen.contacts[0]
        assert first.phone and first.phone in detail_text(screen)
        # Scrolling near the end fetches the next page.
        table.focus()
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert table.row_count == min(total, 2 * PAGE_SIZE)
        assert len({c.id for c in screen.contacts}) == table.row_count
        status = str(screen.query_one("#contacts-status-line", Static).render())
        assert status.startswith(f"{table.row_count} of {total} contacts")


async def test_find_a_contact_by_search(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        wanted = screen.contacts[7]
        assert wanted.phone
        await pilot.press("slash")
        assert focused(app) is screen.query_one("#contacts-search", Input)
        await pilot.press(*wanted.phone[1:], "enter")
        await settle(pilot)
        assert [c.id for c in screen.contacts] == [wanted.id]
        assert focused(app) is screen.query_one("#contacts-table", DataTable)
        assert wanted.phone in detail_text(screen)
        # Something that matches nobody.
        await pilot.press("slash", *"zzzz-nobody", "enter")
        await settle(pilot)
        assert screen.contacts == []
        assert "No contacts match." in str(screen.query_one("#contacts-status-line").render())
        # Escape in the search box goes back to the list; from the list it leaves.
        await pilot.press("slash")
        await pilot.press("escape")
        assert focused(app) is screen.query_one("#contacts-table", DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert current(app) is not screen


async def test_arrows_in_the_search_box_choose_and_enter_edits(sandbox: SandboxServer) -> None:
    """fzf-style: Down/Up in the search box move the list's cursor; Enter opens that row."""
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        search = screen.query_one("#contacts-search", Input)
        table = screen.query_one("#contacts-table", DataTable)
        await pilot.press("slash", *"+385")  # the debounce runs the search
        await wait_until(pilot, lambda: screen.filters.search == "+385" and not screen._loading)
        await settle(pilot)
        assert len(screen.contacts) >= 3
        await pilot.press("down", "down", "down", "up")
        assert focused(app) is search
        assert table.cursor_row == 2
        chosen = screen.contacts[2]
        assert chosen.phone and chosen.phone in detail_text(screen)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.contact is not None and form.contact.id == chosen.id


async def test_search_runs_after_typing_pauses(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        wanted = screen.contacts[11]
        assert wanted.phone
        typed = wanted.phone[1:]
        await pilot.press("slash", *typed)  # no Enter: the debounce timer fires
        # On a loaded machine a pause between two keys runs a search for what was typed
        # so far, and a prefix of the number may already find only this contact: wait
        # for the search of the whole number and its result together.
        await wait_until(
            pilot,
            lambda: (
                screen.filters.search == typed and [c.id for c in screen.contacts] == [wanted.id]
            ),
        )


async def test_filter_by_tag_and_status(sandbox: SandboxServer) -> None:
    client = await api(sandbox)
    async with client:
        vip_total = (await client.contacts.list(tags=["vip"], limit=1)).meta.total
        unsubscribed = (await client.contacts.list(status="unsubscribed", limit=1)).meta.total
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        tag_select = screen.query_one("#contacts-tag", Select)
        tag_select.value = "vip"
        await settle(pilot)
        assert vip_total is not None
        assert len(screen.contacts) == vip_total > 0
        assert all("vip" in {t.name for t in c.tags} for c in screen.contacts)
        tag_select.clear()
        screen.query_one("#contacts-status", Select).value = "unsubscribed"
        await settle(pilot)
        assert len(screen.contacts) == unsubscribed
        assert all(c.status == "unsubscribed" for c in screen.contacts)


# ----------------------------------------------------------------------------- subscribe / edit


async def test_subscribe_a_contact_with_tags_notes_and_fields(
    fresh_sandbox: SandboxServer,
) -> None:
    saved: list[Contact] = []
    app = host(fresh_sandbox, lambda client: ContactsScreen(client, on_contact_saved=saved.append))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm) and form.is_new
        assert focused(app) is form.query_one("#input-phone", Input)
        await pilot.press(*"+385 91 555 0101")
        await type_into(pilot, form, "name", "Iva Test")
        tags = form.query_one("#input-tags", SelectionList)
        tags.select("vip")
        await type_into(pilot, form, "new_tags", "fresh-lead, VIP")
        form.query_one("#input-note", TextArea).text = "Met at the fair"
        await type_into(pilot, form, custom_row(form, "Order count"), "3")
        await type_into(pilot, form, custom_row(form, "Birthday"), "1990-01-31")
        form.query_one(f"#input-{custom_row(form, 'Plan')}", Select).value = "Pro"
        form.query_one(f"#input-{custom_row(form, 'Newsletter opt-in')}", Switch).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        stored = screen.contacts[0]
        assert stored.phone == "+385915550101"
        assert stored.name == "Iva Test"
        assert sorted(t.name or "" for t in stored.tags) == ["fresh-lead", "vip"]
        assert [n.value for n in stored.notes] == ["Met at the fair"]
        values = {f.key: f.value for f in stored.contact_fields}
        assert values["Order count"] in ("3", 3)
        assert values["Birthday"] == "1990-01-31"
        assert values["Plan"] == "Pro"
        assert str(values["Newsletter opt-in"]).lower() == "true"
        assert "Iva Test" in detail_text(screen)
        assert "Met at the fair" in detail_text(screen)
        # The new tag is offered from now on.
        assert "fresh-lead" in {t.name for t in screen.tags}
        # Whoever else shows contacts (the inbox) is told what the server stored.
        assert saved == [stored]
    client = await api(fresh_sandbox)
    async with client:
        found = await client.contacts.list(search_query="+385915550101")
    assert [c.name for c in found.items] == ["Iva Test"]


async def test_edit_appends_a_note_and_shows_what_the_server_stored(
    fresh_sandbox: SandboxServer,
) -> None:
    client = await api(fresh_sandbox)
    async with client:
        original = await client.contacts.subscribe(
            "+385915550202", name="Old Name", tags=["vip"], notes=["first note"]
        )
    app = host(fresh_sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("slash", *"5550202", "enter")
        await settle(pilot)
        await move_to(pilot, screen, original.id or "")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm) and not form.is_new
        # Existing notes are shown read-only, the note box starts empty.
        assert "first note" in str(form.query_one("#existing-notes", Static).render())
        assert form.query_one("#input-note", TextArea).text == ""
        await type_into(pilot, form, "name", "New Name")
        form.query_one("#input-tags", SelectionList).deselect("vip")
        form.query_one("#input-note", TextArea).text = "second note"
        await type_into(pilot, form, custom_row(form, "City"), "Split")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        stored = next(c for c in screen.contacts if c.id == original.id)
        assert stored.name == "New Name"
        assert [t.name for t in stored.tags] == []
        assert [n.value for n in stored.notes] == ["first note", "second note"]
        assert {f.key: f.value for f in stored.contact_fields}.get("City") == "Split"
        shown = detail_text(screen)
        assert "New Name" in shown and "first note" in shown and "second note" in shown


async def test_enter_on_a_row_edits_it(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        contact = await move_to(pilot, screen, screen.contacts[3].id or "")
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.values()["phone"] == contact.phone
        await pilot.press("escape")  # unchanged: closes without asking
        await pilot.pause()
        assert current(app) is screen


# ----------------------------------------------------------------------------- refusing bad input


async def open_new_form(pilot: Pilot[Any]) -> ContactForm:
    await open_contacts(pilot)
    await pilot.press("a")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ContactForm)
    return form


async def test_each_kind_of_bad_input_is_refused_before_any_request(
    fresh_sandbox: SandboxServer,
) -> None:
    app = host(fresh_sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        total_before = pilot.app.screen_stack[-2].total  # type: ignore[attr-defined]

        # Empty required phone.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert error_of(form, "phone") == "This field is required."

        # A local number: refused with a country-code hint.
        await type_into(pilot, form, "phone", "0912345678")
        # Number field with text, impossible date.
        orders = custom_row(form, "Order count")
        birthday = custom_row(form, "Birthday")
        await type_into(pilot, form, orders, "a dozen")
        await type_into(pilot, form, birthday, "1990-02-30")
        await pilot.press("enter")
        await settle(pilot)
        assert "country code" in shown_error(form, "phone")
        assert "+<country code>912345678" in shown_error(form, "phone")
        assert shown_error(form, orders) == "Enter a number, e.g. 42 or 3.5"
        assert shown_error(form, birthday) == "That day does not exist (YYYY-MM-DD)."
        await type_into(pilot, form, birthday, "31/01/1990")
        await pilot.press("enter")
        await settle(pilot)
        assert "YYYY-MM-DD" in shown_error(form, birthday)

        # Nothing was sent, and everything typed is still there.
        assert form.submit_count == 0
        assert form.values()["phone"] == "0912345678"
        assert form.values()[orders] == "a dozen"
        assert form.values()[birthday] == "31/01/1990"
        assert current(app) is form
    client = await api(fresh_sandbox)
    async with client:
        assert (await client.contacts.list(limit=1)).meta.total == total_before


async def test_server_4xx_is_shown_next_to_the_field(fresh_sandbox: SandboxServer) -> None:
    client = await api(fresh_sandbox)
    async with client:
        first = await client.contacts.subscribe("+385915550301", name="First")
        await client.contacts.subscribe("+385915550302", name="Second")
    app = host(fresh_sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("slash", *"55503", "enter")
        await settle(pilot)
        await move_to(pilot, screen, first.id or "")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        # A well-formed phone that belongs to someone else: only the server knows.
        await type_into(pilot, form, "phone", "+385915550302")
        await pilot.press("enter")
        await settle(pilot)
        assert form.submit_count == 1
        assert current(app) is form
        assert "already belongs to another contact" in shown_error(form, "phone")
        assert form_status(form) == "Sendbee rejected the marked field."
        assert form.values()["phone"] == "+385915550302"
        assert focused(app) is form.query_one("#input-phone")


async def test_escape_with_unsaved_changes_asks(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_new_form(pilot)
        await type_into(pilot, form, "name", "Half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("escape")  # "keep editing"
        await pilot.pause()
        assert current(app) is form
        assert form.values()["name"] == "Half typed"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


# ------------------------------------------------------------------ conversation, template


async def test_open_conversation_tells_the_app(sandbox: SandboxServer) -> None:
    client = await api(sandbox)
    async with client:
        conversation = (await client.conversations.list(limit=1)).items[0]
    phone = conversation.contact.phone
    assert phone
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("slash", *phone[1:], "enter")
        await settle(pilot)
        assert [c.phone for c in screen.contacts] == [phone]
        await pilot.press("o")
        await settle(pilot)
        assert [(m.conversation_id, m.phone) for m in app.opened] == [(conversation.id, phone)]
        assert not isinstance(app.screen, ContactsScreen)  # the app takes over


async def test_contact_without_conversation_offers_a_template(
    fresh_sandbox: SandboxServer,
) -> None:
    client = await api(fresh_sandbox)
    async with client:
        await client.contacts.subscribe("+385915550404", name="No Chat Yet")
    app = host(fresh_sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("slash", *"5550404", "enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert app.opened == []
        assert isinstance(app.screen, TemplatePickerScreen)
        assert app.screen.client is app.client
        assert app.screen.phone == "+385915550404"


# ----------------------------------------------------------------------------- keys and palette


def test_every_binding_has_an_id_and_a_palette_command() -> None:
    bindings = [b for b in ContactsScreen.BINDINGS if isinstance(b, Binding)]
    assert all(b.id and b.id.startswith(("contacts.", "records.")) for b in bindings)
    bindings = [b for b in bindings if b.id and b.id.startswith("contacts.")]
    screen = ContactsScreen(offline_client())
    commands = {c.callback.__name__ for c in screen.palette_commands()}
    assert {f"action_{b.action}" for b in bindings} <= commands


async def test_command_palette_runs_screen_actions(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        await open_contacts(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"subscribe a new")
        await wait_for_palette(pilot)  # the palette searches in a background task
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactForm)


# ----------------------------------------------------------------------------- snapshot


def test_contact_form_snapshot(snap_compare: Any) -> None:
    """The form on the README screenshot's fixed data (screenshots/make_screenshots.py)."""
    app = screenshots_script().contact_form_preview_app()
    assert snap_compare(app, terminal_size=(100, 48))


async def test_contact_form_screenshot_is_saved(tmp_path: Path) -> None:
    save = screenshots_script().save_contact_form_screenshot
    target = await save(tmp_path / "shots" / "contact_form.svg")
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "Ana&#160;Horvat" in svg or "Ana Horvat" in svg


# ----------------------------------------------------------------------------- untrusted text

HOSTILE_NAME = "[b]Bold[/b] [@click=app.quit]x[/]"
HOSTILE_TAG = "[red]t[/"
HOSTILE_FIELD = "[i]F[/i]"


async def test_markup_in_names_tags_fields_and_notes_is_shown_literally(
    fresh_sandbox: SandboxServer,
) -> None:
    client = await api(fresh_sandbox)
    async with client:
        await client.fields.create(HOSTILE_FIELD, "list", options=["[/]", "ok"])
        hostile = await client.contacts.subscribe(
            "+385915550505",
            name=HOSTILE_NAME,
            tags=[HOSTILE_TAG],
            notes=["[@click=app.bell]ring[/] \x1b]0;title\x07"],
            contact_fields={HOSTILE_FIELD: "[/]"},
        )
    app = host(fresh_sandbox, ContactsScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_contacts(pilot)
        await pilot.press("slash", *"5550505", "enter")
        await settle(pilot)
        assert [c.id for c in screen.contacts] == [hostile.id]
        shown = detail_text(screen)
        assert HOSTILE_NAME in shown
        assert HOSTILE_TAG in shown
        assert f"{HOSTILE_FIELD}: [/]" in shown
        assert "[@click=app.bell]ring[/] " in shown and "\x1b" not in shown
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactForm)
        assert form.values()["name"] == HOSTILE_NAME
        assert HOSTILE_TAG in form.values()["tags"]
        assert form.values()[custom_row(form, HOSTILE_FIELD)] == "[/]"
        label = form.query_one(f"#field-{custom_row(form, HOSTILE_FIELD)} .form-label", Static)
        assert str(label.render()) == HOSTILE_FIELD
        # Saving it unchanged round-trips the literal values.
        form.query_one("#input-note", TextArea).text = "[b]note[/b]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert current(app) is screen, form_status(form)
        stored = screen.contacts[0]
        assert stored.name == HOSTILE_NAME
        assert [n.value for n in stored.notes][-1] == "[b]note[/b]"
        assert app.is_running


async def test_detail_pane_hides_on_narrow_terminals(sandbox: SandboxServer) -> None:
    app = host(sandbox, ContactsScreen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_contacts(pilot)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#contact-detail").display
        table = screen.query_one("#contacts-table", DataTable)
        assert table.size.width >= 76  # the list gets the whole width
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert screen.query_one("#contact-detail").display
