"""The open conversation's contact, edited from the inbox (e, +, -, N), in the real app.

Every test runs SendbeeApp against its own sandbox (they write contacts) and
checks both sides: what the inbox shows right after the save (list row, header,
contact pane) and what Sendbee stored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from contacts_harness import current
from helpers import wait_for_screen
from inbox_helpers import make_app, ready, wait_for
from textual.app import App
from textual.widgets import Input, Static, TextArea

from sendbee_tui.api import Contact, Conversation, SendbeeClient
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.tui.app import SendbeeApp
from sendbee_tui.tui.forms import ConfirmModal, FormModal
from sendbee_tui.tui.inbox import model_id
from sendbee_tui.tui.screens.contacts import ContactForm
from sendbee_tui.tui.screens.contacts.at_hand import find_contact
from sendbee_tui.tui.screens.contacts.quick import NoteForm, TagChangeForm
from sendbee_tui.tui.screens.main import MainScreen

SIZE = (160, 48)


def main_of(app: SendbeeApp) -> MainScreen:
    main = app.main_screen
    assert main is not None
    return main


def client_of(app: SendbeeApp) -> SendbeeClient:
    assert app.client is not None
    return app.client


async def open_first(pilot: Any, app: SendbeeApp) -> Conversation:
    """Open the first conversation and wait for its contact in the pane."""
    await wait_for(pilot, lambda: ready(app))
    main = main_of(app)
    conv = main.conv_list.rows[0]
    main.conv_list.move_to(model_id(conv))
    await pilot.press("enter")
    await wait_for(pilot, lambda: main.contact_pane.contact is not None)
    return conv


async def stored(app: SendbeeApp, conv: Conversation) -> Contact:
    contact = await find_contact(client_of(app), conv)
    assert contact is not None
    return contact


async def form_open(pilot: Any, app: SendbeeApp, kind: type[FormModal[Any]]) -> Any:
    """The form on top once it is mounted (pushed comes before composed)."""
    return await wait_for_screen(pilot, kind)


def pane_text(app: SendbeeApp) -> str:
    pane = main_of(app).contact_pane
    return str(pane.query_one("#contact-body", Static).render())


def tag_names(contact: Contact | None) -> list[str]:
    return [t.name or "" for t in contact.tags] if contact is not None else []


async def test_e_edits_name_and_fields_and_the_inbox_shows_it_at_once(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        main = main_of(app)
        await pilot.press("e")
        form = await form_open(pilot, app, ContactForm)
        assert isinstance(form, ContactForm)
        # The conversation's contact, without the phone row (the number ties them).
        assert form.contact is not None and form.contact.id == conv.contact.id
        assert "phone" not in form.fields
        assert conv.contact.phone and conv.contact.phone in str(
            form.query_one("#form-title", Static).render()
        )
        rows = {r.label_text: name for name, r in form.fields.items()}
        name_input = form.fields["name"].control
        assert isinstance(name_input, Input)
        name_input.value = "Renamed From Inbox"
        company = form.fields[rows["Company"]].control
        assert isinstance(company, Input)
        company.value = "Bee Ltd"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: current(app) is main)

        # At once, without waiting for a poll: list row, header and pane.
        row = next(r for r in main.conv_list.rows if r.id == conv.id)
        assert row.contact.name == "Renamed From Inbox"
        assert "Renamed From Inbox" in str(main.query_one("#thread-header", Static).render())
        assert "Renamed From Inbox" in pane_text(app)
        assert "Company: Bee Ltd" in pane_text(app)
        server = await stored(app, conv)
        assert server.name == "Renamed From Inbox"
        assert ("Company", "Bee Ltd") in [(f.key, f.value) for f in server.contact_fields]
        assert server.phone == conv.contact.phone
        assert any("Contact saved" in n.message for n in app._notifications)


async def test_plus_adds_a_tag_with_completion_and_keeps_the_others(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        main = main_of(app)
        before = await stored(app, conv)
        assert "wholesale" not in tag_names(before)
        # A colleague tags the contact meanwhile: the pane's copy is now old.
        client = client_of(app)
        colleague = [*tag_names(before), "returning"]
        await client.contacts.update(before.id, tags=colleague)
        await pilot.press("plus")
        form = await form_open(pilot, app, TagChangeForm)
        assert isinstance(form, TagChangeForm)
        # The form starts from what Sendbee has now, not from the pane's copy.
        assert set(form.current) == set(colleague)
        tags_input = form.fields["tags"].control
        assert isinstance(tags_input, Input)
        await pilot.press(*"WHO")
        # Completed from the account's tags, in their spelling; → takes it.
        await wait_for(pilot, lambda: tags_input._suggestion == "wholesale")
        await pilot.press("right")
        assert tags_input.value == "wholesale"
        await pilot.press("enter")
        await wait_for(pilot, lambda: current(app) is main)
        expected = {*colleague, "wholesale"}
        assert set(tag_names(main.contact_pane.contact)) == expected
        assert "wholesale" in pane_text(app)
        assert set(tag_names(await stored(app, conv))) == expected


async def test_a_new_tag_is_created(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        await pilot.press("plus")
        form = await form_open(pilot, app, TagChangeForm)
        await pilot.press(*"called back, Wholesale")
        # Before Enter the form says what will be stored, and which tag is new.
        after_line = form.query_one("#tags-after", Static)
        await wait_for(pilot, lambda: "called back (new tag)" in str(after_line.render()))
        assert "wholesale (new tag)" not in str(after_line.render())
        await pilot.press("enter")
        await wait_for(pilot, lambda: current(app) is main_of(app))
        after = set(tag_names(await stored(app, conv)))
        # Typed names take the account's spelling ("Wholesale" -> "wholesale").
        assert {"called back", "wholesale"} <= after
        account_tags = [t.name async for t in client_of(app).tags.iterate()]
        assert "called back" in account_tags


async def test_minus_removes_a_tag_and_refuses_one_the_contact_lacks(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        main = main_of(app)
        before = await stored(app, conv)
        await client_of(app).contacts.update(before.id, tags=["vip", "b2b"])
        await pilot.press("minus")
        form = await form_open(pilot, app, TagChangeForm)
        assert isinstance(form, TagChangeForm)
        assert form.mode == "remove"
        assert str(form.query_one("#tags-now", Static).render()) == ", ".join(form.current)
        assert set(form.current) == {"vip", "b2b"}
        await pilot.press(*"newsletter", "enter")
        await pilot.pause()
        # Checked before any request; the typing stays.
        assert form.fields["tags"].error == "Not a tag of this contact: “newsletter”."
        assert form.submit_count == 0
        assert form.fields["tags"].value == "newsletter"
        tags_input = form.fields["tags"].control
        assert isinstance(tags_input, Input)
        tags_input.value = "V"
        await wait_for(pilot, lambda: tags_input._suggestion == "vip")
        await pilot.press("right", "enter")
        await wait_for(pilot, lambda: current(app) is main)
        assert tag_names(main.contact_pane.contact) == ["b2b"]
        assert tag_names(await stored(app, conv)) == ["b2b"]


async def test_shift_n_appends_a_note(fresh_sandbox: SandboxServer, tmp_path: Path) -> None:
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        main = main_of(app)
        before = [n.value for n in (await stored(app, conv)).notes]
        await pilot.press("N")
        form = await form_open(pilot, app, NoteForm)
        assert isinstance(form, NoteForm)
        assert app.focused is form.query_one("#input-note", TextArea)
        await pilot.press(*"Called back")
        await pilot.press("enter", *"wants a refund")  # Enter in the note: a new line, no save
        assert current(app) is form
        assert form.values()["note"] == "Called back\nwants a refund"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: current(app) is main)
        after = [n.value for n in (await stored(app, conv)).notes]
        assert after[: len(before)] == before  # appended, nothing replaced
        assert after[len(before) :] == ["Called back\nwants a refund"]
        assert "Called back" in pane_text(app)


async def test_server_refusals_land_under_the_field_and_nothing_is_lost(
    fresh_sandbox: SandboxServer, tmp_path: Path
) -> None:
    """The sandbox refuses a note or tag over 1000 characters (400 naming it)."""
    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        before = await stored(app, conv)
        long_note = "x" * 1001
        await pilot.press("N")
        note_form = await form_open(pilot, app, NoteForm)
        note_form.query_one("#input-note", TextArea).text = long_note
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: note_form.fields["note"].error is not None)
        assert "too long" in (note_form.fields["note"].error or "")
        assert note_form.values()["note"] == long_note
        assert current(app) is note_form
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await wait_for(pilot, lambda: current(app) is main_of(app))

        await pilot.press("plus")
        tag_form = await form_open(pilot, app, TagChangeForm)
        long_tag = "t" * 1001
        tag_form.fields["tags"].control.value = long_tag
        await pilot.press("enter")
        await wait_for(pilot, lambda: tag_form.fields["tags"].error is not None)
        assert "too long" in (tag_form.fields["tags"].error or "")
        assert tag_form.values()["tags"] == long_tag
        after = await stored(app, conv)
        assert [n.value for n in after.notes] == [n.value for n in before.notes]
        assert tag_names(after) == tag_names(before)


async def test_keys_without_an_open_conversation_explain(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("e")
        await pilot.pause()
        assert current(app) is main_of(app)
        assert any("Open a conversation first" in n.message for n in app._notifications)


async def test_the_pane_names_the_keys_and_enter_on_it_edits(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        conv = await open_first(pilot, app)
        main = main_of(app)
        pane = main.contact_pane
        keys_line = pane.query_one("#contact-keys", Static)
        assert keys_line.display
        assert str(keys_line.render()) == "e edit  +/- tag  N note"
        pane.focus()
        await pilot.press("enter")
        form = await form_open(pilot, app, ContactForm)
        assert isinstance(form, ContactForm)
        assert form.contact is not None and form.contact.id == conv.contact.id
        await pilot.press("escape")
        await wait_for(pilot, lambda: current(app) is main)
        # The inbox's keys work with the pane focused too.
        pane.focus()
        await pilot.press("N")
        await form_open(pilot, app, NoteForm)


async def test_help_lists_the_contact_keys(sandbox: SandboxServer, tmp_path: Path) -> None:
    from sendbee_tui.tui.keys import help_sections

    rows = {(key, binding_id) for _, part in help_sections() for key, _, binding_id in part}
    assert ("e", "inbox.edit_contact") in rows
    assert ("+", "inbox.tag_contact") in rows
    assert ("-", "inbox.untag_contact") in rows
    assert ("N", "inbox.note_contact") in rows


class AnswerLost(httpx.AsyncBaseTransport):
    """Delivers the first contact update, then reports a timeout instead of its answer."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.updates = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "PUT" and request.url.path.endswith("/contacts"):
            self.updates += 1
            if self.updates == 1:
                await response.aread()
                await response.aclose()
                raise httpx.ReadTimeout("simulated: the answer never came", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class NoteHost(App[None]):
    """The note form on a client whose first answer gets lost."""

    def __init__(self, server: SandboxServer, contact: Contact, transport: AnswerLost) -> None:
        super().__init__()
        self._server = server
        self._contact = contact
        self._transport = transport
        self.client: SendbeeClient | None = None
        self.results: list[Contact | None] = []

    async def on_mount(self) -> None:
        s = self._server
        self.client = SendbeeClient(
            s.api_key, s.api_secret, base_url=s.base_url, transport=self._transport
        )
        await self.push_screen(NoteForm(self.client, self._contact), self.results.append)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()


async def test_a_note_whose_answer_was_lost_is_not_added_twice_unasked(
    fresh_sandbox: SandboxServer,
) -> None:
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, base_url=fresh_sandbox.base_url
    ) as client:
        contact = await client.contacts.subscribe("+385981250001", name="Ana")
    lost = AnswerLost()
    app = NoteHost(fresh_sandbox, contact, lost)
    async with app.run_test(size=SIZE) as pilot:
        form = await wait_for_screen(pilot, NoteForm)
        form.query_one("#input-note", TextArea).text = "Wants a refund"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: lost.updates == 1 and not form.is_busy)
        assert form.outcome_unknown and current(app) is form
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("escape")  # "Don't add"
        await wait_for(pilot, lambda: current(app) is form)
        assert lost.updates == 1
        assert app.client is not None
        stored = (await app.client.contacts.list(search_query="+385981250001")).items[0]
        assert [n.value for n in stored.notes] == ["Wants a refund"]  # it did arrive, once
