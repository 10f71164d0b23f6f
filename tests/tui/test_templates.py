"""Pilot tests of the template picker and form against the real sandbox.

The screens are hosted in a tiny app that owns a real SendbeeClient (created on
the app's loop, as SendbeeApp does) and, like SendbeeApp, an outbox every send
goes through (see ``templates_harness``); the end-to-end test at the bottom runs the
whole SendbeeApp and checks the template appears in the thread.  Named
placeholders (``{name}``) are in ``test_templates_named.py``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from contacts_harness import wait_for_palette, wait_until
from helpers import wait_for_screen
from templates_harness import (
    TEMPLATE_SEND,
    Host,
    all_templates,
    current,
    filtered,
    open_form,
    search_for,
    settle,
    text_of,
)
from textual.widgets import Button, Input, OptionList, Select, Static

from sendbee_tui.api import Contact, ContactFieldValue, SentMessage
from sendbee_tui.tui.forms import ConfirmModal
from sendbee_tui.tui.screens.templates import (
    WINDOW_NOTICE,
    ContactValuePicker,
    TemplateFormScreen,
    TemplatePickerScreen,
)


class Gate(httpx.AsyncBaseTransport):
    """Holds every template send until ``opened`` is set, then lets it reach the server.

    Makes "the send is in flight" last exactly as long as the test wants, on any
    machine: no latency to guess, no race between the request and the asserts.
    """

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.opened = asyncio.Event()
        self.sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(TEMPLATE_SEND):
            self.sends += 1
            await self.opened.wait()
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class AnswerLost(httpx.AsyncBaseTransport):
    """Delivers template sends to the server, then reports a read timeout instead of the answer.

    The ambiguous failure a real server cannot produce on demand: the message
    did arrive, the client only knows the request was written.
    """

    def __init__(self, failures: int = 1) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.failures = failures
        self.sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path.endswith(TEMPLATE_SEND):
            self.sends += 1
            if self.failures:
                self.failures -= 1
                await response.aread()
                await response.aclose()
                raise httpx.ReadTimeout("simulated: the answer never came", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# --------------------------------------------------------------------------- picker


async def test_picker_lists_every_template_sendable_first(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385911110000"))
        expected = await all_templates(app.api)
        assert picker.loaded
        assert {t.id for t in picker.templates} == {t.id for t in expected}
        statuses = [t.status or "" for t in picker.templates]
        order = {"approved": 0, "pending": 1, "rejected": 2}
        assert [order[s] for s in statuses] == sorted(order[s] for s in statuses)
        assert set(statuses) == {"approved", "pending", "rejected"}
        # Language is shown on every row, the rejection reason on rejected ones.
        option_list = picker.query_one("#template-list", OptionList)
        for index, template in enumerate(picker.shown):
            prompt = str(option_list.get_option_at_index(index).prompt)
            assert f"[{template.language}]" in prompt
            if template.status == "rejected":
                assert (template.rejected_reason or "")[:30] in prompt
        status = text_of(picker.query_one("#picker-status", Static))
        assert f"{len(expected)} of {len(expected)} templates" in status


async def test_picker_fetches_every_page(sandbox: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(TemplatePickerScreen, "page_size", 3)
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385911110000"))
        expected = await all_templates(app.api)
        assert len(expected) > 3
        assert sorted(t.id or "" for t in picker.templates) == sorted(t.id or "" for t in expected)


async def test_picker_search_by_keyword_name_and_text(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385911110000"))
        await pilot.press(*"order_shipped")  # keyword
        await filtered(pilot, picker, "order_shipped")
        assert [t.keyword for t in picker.shown] == ["order_shipped"]
        await search_for(pilot, picker, "Dobrodošlica")  # name
        assert [(t.keyword, t.language) for t in picker.shown] == [("welcome", "hr")]
        await search_for(pilot, picker, "invoice ATTACHED")  # text, any case
        assert [t.keyword for t in picker.shown] == ["invoice"]
        await search_for(pilot, picker, "no such template anywhere")
        assert picker.shown == []


async def test_arrows_in_the_search_box_choose_and_enter_opens(sandbox: Any) -> None:
    """fzf-style: type, Down/Up move the list's highlight, focus stays, Enter opens it."""
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385911110000"))
        search = picker.query_one("#template-search", Input)
        options = picker.query_one("#template-list", OptionList)
        assert app.focused is search
        approved = [t for t in picker.templates if t.status == "approved"]
        assert len(approved) >= 3
        await pilot.press("down", "down")
        assert app.focused is search
        assert options.highlighted == 2
        await pilot.press("up")
        assert options.highlighted == 1
        assert app.focused is search
        # Typing narrows the list; the arrows then move within the matches.
        await pilot.press(*"a")
        await filtered(pilot, picker, "a")
        matches = list(picker.shown)
        assert len(matches) >= 2
        approved_matches = [i for i, t in enumerate(matches) if t.status == "approved"]
        target = approved_matches[1]
        options.highlighted = 0
        await pilot.press(*["down"] * target)
        assert options.highlighted == target
        assert app.focused is search
        assert picker._highlighted_template() is matches[target]  # the detail pane follows
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TemplateFormScreen)
        assert form.template.id == matches[target].id


async def test_pending_and_rejected_are_visible_but_not_sendable(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385911110000"))
        rejected = next(t for t in picker.templates if t.status == "rejected")
        pending = next(t for t in picker.templates if t.status == "pending")
        for template in (rejected, pending):
            await search_for(pilot, picker, template.keyword or "")
            await pilot.press("enter", "enter")
            await settle(pilot)
            assert current(app) is picker, "a non-approved template must not open the form"
            detail = text_of(picker.query_one("#template-detail-text", Static))
            assert (template.text or "").split("{{")[0].strip() in detail
        await search_for(pilot, picker, rejected.keyword or "")
        detail = text_of(picker.query_one("#template-detail-text", Static))
        assert "Rejected by WhatsApp" in detail
        assert rejected.rejected_reason and rejected.rejected_reason in detail
        assert any("cannot be sent" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert app.results == [None]


# --------------------------------------------------------------------------- sending


async def test_send_with_placeholders_buttons_and_attachment(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        conv = (await app.api.conversations.list()).items[0]
        picker = await app.show(pilot, app.picker(conversation=conv))
        assert picker.phone == conv.contact.phone
        form = await open_form(pilot, picker, "new_collection")
        assert isinstance(form, TemplateFormScreen)
        assert list(form.fields) == [
            "tag_1",
            "button_1",
            "attachment",
            "prevent_bot_off",
            "agent_id",
        ]
        to = text_of(form.query_one("#template-to", Static))
        assert conv.contact.phone and conv.contact.phone in to
        send = form.query_one("#form-submit", Button)
        assert send.disabled
        # One key fills the focused placeholder with the contact's name.
        assert form.focused is form.fields["tag_1"].control
        await pilot.press("ctrl+n")
        assert form.fields["tag_1"].value == conv.contact.name
        preview = form.query_one("#template-preview", Static)

        async def previewed(text: str) -> None:
            # The preview follows each change through messages: wait for it.
            await wait_until(pilot, lambda: text in text_of(preview))

        await previewed(f"{conv.contact.name}, our new collection is here")
        await pilot.press("tab", *"spring24")
        await previewed("https://shop.example.com/c/spring24")
        assert send.disabled  # the image URL is still missing
        url = "https://cdn.example.com/spring/banner.png"
        await pilot.press("tab", *url)
        await previewed(url)
        await wait_until(pilot, lambda: not send.disabled)
        await pilot.press("enter")
        await settle(pilot)

        assert form.submit_count == 1
        [sent] = app.results
        assert isinstance(sent, SentMessage)
        assert conv.id and sent.conversation_id == conv.id
        assert sent.status
        assert app.sent == [sent]  # on_sent: the app refreshes that conversation
        # The toast names the customer (not the conversation's UUID).
        [toast] = [n.message for n in app._notifications if WINDOW_NOTICE in n.message]
        assert f"Template sent to {conv.contact.name}" in toast
        assert conv.id not in toast
        page = await app.api.conversations.messages(conv.id)
        newest = page.items[0]
        assert newest.id == sent.message_id
        assert newest.body == f"{conv.contact.name}, our new collection is here 🌸"
        assert newest.media_url == url
        assert newest.media_type == "image"


async def test_send_to_a_new_number_with_agent(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker())
        assert "new phone number" in text_of(picker.query_one("#picker-to", Static))
        form = await open_form(pilot, picker, "order_shipped")
        assert list(form.fields)[:5] == ["phone", "tag_1", "tag_2", "tag_3", "button_1"]
        phone = "+385981230001"
        await pilot.press(*phone, "tab", *"Iva", "tab", *"#1042", "tab", *"tomorrow")
        await pilot.press("tab", *"TRACK42")
        select = form.fields["agent_id"].control
        assert isinstance(select, Select)
        members = form.members
        assert members, "the team members are offered as agents"
        select.value = members[0].id
        await pilot.pause()
        assert form.can_send
        form.action_submit()
        await settle(pilot)
        [sent] = app.results
        conversation = await app.api.conversations.get(sent.conversation_id)
        assert conversation.contact.phone == phone
        newest = (await app.api.conversations.messages(sent.conversation_id)).items[0]
        assert newest.body == "Hi Iva, your order #1042 has shipped and arrives tomorrow."


async def test_form_refuses_bad_input_before_any_request(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker())
        form = await open_form(pilot, picker, "new_collection")
        send = form.query_one("#form-submit", Button)
        fields = form.fields

        async def type_into(name: str, text: str) -> None:
            row = fields[name]
            assert isinstance(row.control, Input)
            row.control.value = text
            # The live check runs once the change has gone through the messages.
            await wait_until(pilot, lambda: row.error == row.first_problem())

        assert send.disabled
        # A local number: refused with a country-code hint, next to the phone field.
        await type_into("phone", "0912345678")
        assert "country code" in (fields["phone"].error or "")
        await type_into("phone", "+385912345678")
        assert fields["phone"].error is None
        # Not http(s).
        await type_into("attachment", "ftp://cdn.example.com/a.png")
        assert "http" in (fields["attachment"].error or "")
        # The wrong kind of file for an image template; the allowed type is named.
        await type_into("attachment", "https://cdn.example.com/clip.mp4")
        assert "image (JPG, PNG)" in (fields["attachment"].error or "")
        await type_into("attachment", "https://cdn.example.com/a.jpg")
        assert fields["attachment"].error is None
        # A placeholder value WhatsApp would refuse.
        await type_into("button_1", "too     many spaces")
        assert "spaces" in (fields["button_1"].error or "")
        await type_into("button_1", "spring")
        # Placeholder {{1}} is still empty: Send stays disabled, Enter shows why.
        assert send.disabled
        fields["attachment"].control.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert fields["tag_1"].error == "This field is required."
        assert current(app) is form
        assert form.submit_count == 0, "no request may be made with bad input"
        assert form.fields["button_1"].value == "spring"


async def test_server_refusal_lands_next_to_the_field_and_input_is_kept(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385981230002"))
        form = await open_form(pilot, picker, "new_collection")
        # No extension: loose enough for the form, but the sandbox wants a known media type.
        url = "https://cdn.example.com/render?id=5"
        await pilot.press(*"Ana", "tab", *"spring", "tab", *url)
        await pilot.pause()
        assert form.can_send
        await pilot.press("enter")
        await settle(pilot)
        assert form.submit_count == 1
        assert current(app) is form
        assert app.results == []
        assert "unsupported media" in (form.fields["attachment"].error or "")
        status = text_of(form.query_one("#form-status", Static))
        assert "Sendbee" in status
        assert form.values()["tag_1"] == "Ana"
        assert form.values()["attachment"] == url
        assert not form.query_one("#form-submit", Button).disabled  # can fix and retry


async def test_fill_from_contact_offers_contact_data(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        contact = Contact(
            name="Ana Horvat",
            phone="+385981230003",
            contact_fields=(ContactFieldValue(key="City", value="Zagreb"),),
        )
        picker = await app.show(pilot, app.picker(contact=contact))
        assert picker.phone == contact.phone
        form = await open_form(pilot, picker, "order_shipped")
        form.fields["tag_2"].control.focus()
        await pilot.press("ctrl+f")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ContactValuePicker) and bool(app.screen.query(OptionList))
            ),
        )
        chooser = app.screen
        assert isinstance(chooser, ContactValuePicker)
        options = chooser.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == [
            "Name: Ana Horvat",
            "Phone: +385981230003",
            "First name: Ana",
            "City: Zagreb",
        ]
        await pilot.press("down", "down", "down", "enter")
        await wait_until(pilot, lambda: current(app) is form)
        assert form.fields["tag_2"].value == "Zagreb"
        assert form.fields["tag_1"].value == ""
        # Ctrl+N with a non-placeholder focused fills the first empty placeholder.
        form.fields["agent_id"].control.focus()
        await pilot.press("ctrl+n")
        assert form.fields["tag_1"].value == "Ana Horvat"


async def test_escape_asks_before_discarding_typed_values(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385981230004"))
        form = await open_form(pilot, picker, "invoice")
        await pilot.press("escape")
        await settle(pilot)
        assert current(app) is picker  # nothing typed: closes at once
        form = await open_form(pilot, picker, "invoice")
        await pilot.press(*"Ana")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await wait_until(pilot, lambda: current(app) is form)
        assert form.fields["tag_1"].value == "Ana"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert current(app) is picker
        assert app.results == []


# --------------------------------------------------------------------------- in the app


async def test_template_sent_from_the_inbox_shows_in_the_thread(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    from inbox_helpers import make_app, ready, wait_for

    from sendbee_tui.tui.inbox import model_id

    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert main is not None
        conv = main.conv_list.rows[0]
        main.conv_list.move_to(model_id(conv))
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        await pilot.press("t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TemplatePickerScreen) and app.screen.loaded
        )
        picker = app.screen
        assert isinstance(picker, TemplatePickerScreen)
        assert picker.phone == conv.contact.phone
        # The app's polling workers never finish: wait for conditions, not for workers.
        picker.query_one("#template-search", Input).value = "welcome Hello"
        await pilot.pause()
        await pilot.press("enter")
        form = await wait_for_screen(pilot, TemplateFormScreen)
        await pilot.press(*"Marko", "tab", *"Sendbee Shop", "enter")
        await wait_for(pilot, lambda: form.result is not None)
        body = "Hello Marko, welcome to Sendbee Shop! Reply to this message to start chatting."
        await wait_for(pilot, lambda: any(m.body == body for m in main.thread.messages))
        assert current(app) is main
        assert any(WINDOW_NOTICE in n.message for n in app._notifications)


async def test_a_send_is_made_once_even_when_enter_is_pressed_again(fresh_sandbox: Any) -> None:
    gate = Gate()
    app = Host(fresh_sandbox, transport=gate)
    async with app.run_test(size=(120, 40)) as pilot:
        phone = "+385981230005"
        picker = await app.show(pilot, app.picker(phone=phone))
        form = await open_form(pilot, picker, "invoice")
        url = "https://cdn.example.com/invoices/1042.pdf"
        await pilot.press(*"Ana", "tab", *"#1042", "tab", *url)
        await pilot.pause()
        await pilot.press("enter")
        # The send waits at the gate: "in flight" lasts until the test opens it.
        await wait_until(pilot, lambda: gate.sends == 1)
        assert form.is_busy
        assert form.query_one("#form-submit", Button).disabled
        await pilot.press("enter", "ctrl+s", "escape")  # an impatient agent
        await pilot.pause()
        assert form.submit_count == 1
        # Escape mid-send neither closed the form without its answer nor asked to discard.
        assert current(app) is form
        gate.opened.set()
        await wait_until(pilot, lambda: bool(app.results))  # the form closed with its answer
        assert gate.sends == 1
        assert form.submit_count == 1
        [sent] = app.results
        assert isinstance(sent, SentMessage)
        messages = (await app.api.conversations.messages(sent.conversation_id or "")).items
        bodies = [m.body for m in messages if m.media_url == url]
        assert bodies == ["Hi Ana, your invoice #1042 is attached. Thank you for your purchase!"]


async def test_a_lost_answer_is_found_on_the_server_not_sent_again(fresh_sandbox: Any) -> None:
    """A timeout after the request was written: the outbox reads the conversation,
    finds the template there and the form closes as sent — one copy, no question."""
    lost = AnswerLost()
    app = Host(fresh_sandbox, transport=lost)
    async with app.run_test(size=(120, 40)) as pilot:
        phone = "+385981230008"
        picker = await app.show(pilot, app.picker(phone=phone))
        form = await open_form(pilot, picker, "invoice")
        url = "https://cdn.example.com/invoices/2042.pdf"
        await pilot.press(*"Ana", "tab", *"#2042", "tab", *url)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert lost.sends == 1 and form.submit_count == 1
        [sent] = app.results
        assert isinstance(sent, SentMessage) and app.sent == [sent]
        found = await app.api.conversations.list(search_query=phone)
        [conversation] = found.items
        assert sent.conversation_id == conversation.id
        page = await app.api.conversations.messages(conversation.id or "")
        assert [m.id for m in page.items if m.media_url == url] == [sent.message_id]


class NothingStored(httpx.AsyncBaseTransport):
    """Answers the first template send with a 503 without passing it on.

    A 5xx where nothing was stored, for template sends only (the sandbox's own
    injected errors hit every request): the outbox looks, does not find it, and
    can only call it unconfirmed.
    """

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sends = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith(TEMPLATE_SEND):
            self.sends += 1
            if self.sends == 1:
                body = {"error": {"detail": "simulated: unavailable", "type": "unavailable"}}
                return httpx.Response(503, json=body, request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_unconfirmed_sending_again_needs_a_deliberate_yes(fresh_sandbox: Any) -> None:
    """Not seen on the server after a 5xx: it may still have arrived, so Send asks first."""
    flaky = NothingStored()
    app = Host(fresh_sandbox, transport=flaky)
    async with app.run_test(size=(120, 40)) as pilot:
        phone = "+385981230009"
        picker = await app.show(pilot, app.picker(phone=phone))
        form = await open_form(pilot, picker, "invoice")
        url = "https://cdn.example.com/invoices/3042.pdf"
        await pilot.press(*"Ana", "tab", *"#3042", "tab", *url)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert flaky.sends == 1
        assert current(app) is form and app.results == [] and app.sent == []
        status = text_of(form.query_one("#form-status", Static))
        assert "not seen in the conversation" in status
        readiness = text_of(form.query_one("#template-readiness", Static))
        assert "may already have been sent" in readiness

        # Enter, Ctrl+S and the Send button all ask first, naming the risk;
        # "Don't send" has the focus, so a reflexive Enter does not resend.
        for press in ("enter", "ctrl+s", "button"):
            if press == "button":
                form.query_one("#form-submit", Button).press()
            else:
                await pilot.press(press)
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
            dialog = app.screen
            assert isinstance(dialog, ConfirmModal), press
            assert "twice" in text_of(dialog.query_one("#confirm-message", Static))
            await pilot.press("enter" if press != "button" else "escape")
            await wait_until(pilot, lambda: current(app) is form)
        assert flaky.sends == 1 and form.submit_count == 1

        # A deliberate "y" sends it again (the outbox reads the conversation once more first).
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await settle(pilot)
        assert flaky.sends == 2 and form.submit_count == 2
        [sent] = app.results
        assert app.sent == [sent]
        found = await app.api.conversations.list(search_query=phone)
        [conversation] = found.items
        page = await app.api.conversations.messages(conversation.id or "")
        assert len([m for m in page.items if m.media_url == url]) == 1


async def test_form_for_an_unapproved_template_cannot_send(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pending = next(t for t in await all_templates(app.api) if t.status == "pending")
        form = await app.show(pilot, TemplateFormScreen(app.api, pending, phone="+385981230006"))
        for row in form.fields.values():
            if isinstance(row.control, Input):
                row.control.value = "https://cdn.example.com/x.mp4"
        await pilot.pause()
        assert form.query_one("#form-submit", Button).disabled
        assert "not approved" in text_of(form.query_one("#template-readiness", Static))
        form.action_submit()
        await settle(pilot)
        assert form.submit_count == 0
        assert "approved" in text_of(form.query_one("#form-status", Static))


async def test_palette_send_template_to_a_new_number(sandbox: Any, tmp_path: Path) -> None:
    from inbox_helpers import make_app, ready, wait_for

    app = make_app(sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        await pilot.press("ctrl+p", *"new number")
        await wait_for_palette(pilot)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TemplatePickerScreen) and app.screen.loaded
        )
        picker = app.screen
        assert isinstance(picker, TemplatePickerScreen)
        assert picker.phone is None
        assert picker.client is app.client


async def test_a_typed_number_of_a_known_contact_offers_their_name(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        known = next(c for c in (await app.api.contacts.list()).items if c.name and c.phone)
        picker = await app.show(pilot, app.picker())
        form = await open_form(pilot, picker, "order_shipped")
        assert known.phone
        await pilot.press(*known.phone)
        await settle(pilot)
        assert form.contact_values.get("Name") == known.name
        await pilot.press("tab", "ctrl+n")
        assert form.fields["tag_1"].value == known.name


async def test_untrusted_template_text_and_values_are_shown_literally(sandbox: Any) -> None:
    from sendbee_tui.api import Template
    from sendbee_tui.tui.screens.templates import template_preview

    evil = Template.from_dict(
        {
            "id": "evil",
            "keyword": "evil",
            "language": "en",
            "status": "approved",
            "name": "[@click=app.quit]boom[/]",
            "text": "\x1b]0;pwned\x07Hi {{1}} [b]bold?[/b] \u202eabc",
            "buttons": [
                {"index": 0, "type": "url", "title": "[/]", "value": "https://x.example/{{1}}"}
            ],
        }
    )
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await app.show(pilot, TemplateFormScreen(app.api, evil, phone="+385981230007"))
        form.query_one("#input-tag_1", Input).value = "[red]v[/]"
        preview = form.query_one("#template-preview", Static)
        await wait_until(pilot, lambda: "[red]v[/]" in text_of(preview))
        shown = text_of(preview)
        assert "Hi [red]v[/] [b]bold?[/b] abc" in shown
        assert "\x1b" not in shown and "\u202e" not in shown and "pwned" not in shown
        assert "[ [/] ]" in shown
        assert "[@click=app.quit]boom[/]" in str(form.query_one("#form-title").render())
        await pilot.click("#form-title")
        assert app.is_running
    assert str(template_preview(evil, {}, {})).startswith("Hi {{1}}")


async def test_buttons_stay_on_screen_in_a_small_terminal(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await app.show(pilot, app.picker())
        form = await open_form(pilot, picker, "order_shipped")  # phone + 4 placeholders
        screen_region = form.region

        def buttons_visible() -> bool:
            return all(
                screen_region.contains_region(button.region) and button.region.height == 3
                for button in form.query(Button)
            )

        assert buttons_visible()
        form.action_submit()  # every field empty: errors and a form-level line appear
        await settle(pilot)
        assert form.fields["phone"].error
        assert buttons_visible()
