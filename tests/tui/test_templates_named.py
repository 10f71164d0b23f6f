"""Pilot tests of templates with named placeholders (``{name}``), the send-as agent and
the "template sent" toast, against the real sandbox.

The sandbox's demo data has ``loyalty_card`` (en, de) and ``delivery_slot`` (en,
with a ``{booking}`` in its button URL); the stored message body shows whether
every placeholder reached the server under the right key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contacts_harness import wait_until
from helpers import wait_for_screen
from templates_harness import Host, current, open_form, settle, text_of
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from sendbee_tui.api import Contact, ContactFieldValue, SentMessage
from sendbee_tui.tui.screens.templates import (
    WINDOW_NOTICE,
    ContactValuePicker,
    TemplateFormScreen,
    TemplatePickerScreen,
)


def label_of(form: TemplateFormScreen, field: str) -> str:
    return str(form.fields[field].query_one(".form-label", Label).render())


async def type_into(pilot: Any, form: TemplateFormScreen, field: str, text: str) -> None:
    control = form.fields[field].control
    assert isinstance(control, Input)
    control.value = text
    preview = form.query_one("#template-preview", Static)
    # The preview follows each change through messages: wait for it.
    await wait_until(pilot, lambda: text in text_of(preview))


async def newest_body(app: Host, sent: SentMessage) -> str | None:
    page = await app.api.conversations.messages(sent.conversation_id or "")
    return page.items[0].body


async def test_named_template_asks_for_each_name_and_sends_them(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385981240001"))
        form = await open_form(pilot, picker, "loyalty_card Welcome")
        assert (form.template.keyword, form.template.language) == ("loyalty_card", "en")
        assert list(form.fields)[:2] == ["tag_name", "tag_card_number"]
        # Labelled by name, in words; the input says how the text spells it.
        assert label_of(form, "tag_name") == "Name *"
        assert label_of(form, "tag_card_number") == "Card number *"
        card = form.fields["tag_card_number"].control
        assert isinstance(card, Input) and card.placeholder == "Value for {card_number}"
        readiness = form.query_one("#template-readiness", Static)
        assert text_of(readiness) == "Still needed: Name, Card number"
        preview = form.query_one("#template-preview", Static)
        assert "Welcome {name}! Your loyalty card {card_number} is ready" in text_of(preview)
        assert form.query_one("#form-submit", Button).disabled

        await pilot.press(*"Ana")
        await wait_until(
            pilot, lambda: "Welcome Ana! Your loyalty card {card_number}" in text_of(preview)
        )
        await wait_until(pilot, lambda: text_of(readiness) == "Still needed: Card number")
        await pilot.press("tab", *"LC-0042")
        await wait_until(pilot, lambda: form.can_send)
        assert text_of(readiness).startswith("Ready to send")
        await pilot.press("enter")
        await settle(pilot)

        [sent] = app.results
        assert isinstance(sent, SentMessage)
        body = "Welcome Ana! Your loyalty card LC-0042 is ready: show it at the till."
        assert await newest_body(app, sent) == body
        # A number nobody has: the toast names the phone (never the conversation's UUID).
        [toast] = [n.message for n in app._notifications if WINDOW_NOTICE in n.message]
        assert toast.startswith("Template sent to +385981240001")
        assert (sent.conversation_id or "?") not in toast


async def test_the_other_language_of_a_named_template(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385981240002"))
        form = await open_form(pilot, picker, "Kundenkarte")
        assert form.template.language == "de"
        await pilot.press(*"Jonas", "tab", *"K-7")
        await wait_until(pilot, lambda: form.can_send)
        await pilot.press("enter")
        await settle(pilot)
        [sent] = app.results
        assert await newest_body(app, sent) == "Willkommen Jonas! Ihre Kundenkarte K-7 ist bereit."


async def test_named_placeholder_in_a_button_url(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        conv = (await app.api.conversations.list()).items[0]
        picker = await app.show(pilot, app.picker(conversation=conv))
        form = await open_form(pilot, picker, "delivery_slot")
        assert list(form.fields)[:5] == [
            "tag_name",
            "tag_day",
            "tag_from_time",
            "tag_to_time",
            "button_booking",
        ]
        assert label_of(form, "tag_from_time") == "From time *"
        assert label_of(form, "button_booking") == "Booking (link) *"
        help_line = form.fields["button_booking"].query_one(".form-help", Static)
        assert "Change the slot" in text_of(help_line)
        readiness = form.query_one("#template-readiness", Static)
        assert text_of(readiness) == ("Still needed: Name, Day, From time, To time, Booking (link)")
        # Ctrl+N fills the focused (first) placeholder with the contact's name.
        await pilot.press("ctrl+n")
        assert form.fields["tag_name"].value == conv.contact.name
        await type_into(pilot, form, "tag_day", "Friday")
        await type_into(pilot, form, "tag_from_time", "9:00")
        await type_into(pilot, form, "tag_to_time", "11:00")
        await type_into(pilot, form, "button_booking", "B-77")
        preview = text_of(form.query_one("#template-preview", Static))
        assert "https://shop.example.com/slot/B-77" in preview
        await wait_until(pilot, lambda: form.can_send)
        form.action_submit()
        await settle(pilot)
        [sent] = app.results
        assert await newest_body(app, sent) == (
            f"Hi {conv.contact.name}, your delivery is booked for Friday between 9:00 and 11:00."
        )
        [toast] = [n.message for n in app._notifications if WINDOW_NOTICE in n.message]
        assert f"Template sent to {conv.contact.name}" in toast


async def test_fill_from_contact_suggests_the_value_a_name_asks_for(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        contact = Contact(
            name="Ana Horvat",
            phone="+385981240003",
            contact_fields=(ContactFieldValue(key="Card number", value="LC-9"),),
        )
        picker = await app.show(pilot, app.picker(contact=contact))
        form = await open_form(pilot, picker, "loyalty_card Welcome")
        form.fields["tag_card_number"].control.focus()
        await pilot.press("ctrl+f")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, ContactValuePicker) and bool(app.screen.query(OptionList))
            ),
        )
        chooser = app.screen
        assert isinstance(chooser, ContactValuePicker)
        assert "Fill Card number with…" in str(chooser.query_one(Label).render())
        options = chooser.query_one(OptionList)
        # {card_number} asks for the "Card number" field: it is highlighted, Enter takes it.
        assert options.highlighted is not None
        assert str(options.get_option_at_index(options.highlighted).prompt) == "Card number: LC-9"
        await pilot.press("enter")
        await wait_until(pilot, lambda: current(app) is form)
        assert form.fields["tag_card_number"].value == "LC-9"


# --------------------------------------------------------------------------- send as agent


async def test_the_form_starts_from_the_given_agent(fresh_sandbox: Any) -> None:
    app = Host(fresh_sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        members = (await app.api.teams.members()).items
        agent = members[-1]
        assert agent.id
        picker = await app.show(pilot, app.picker(phone="+385981240004", agent_id=agent.id))
        form = await open_form(pilot, picker, "loyalty_card Welcome")
        select = form.fields["agent_id"].control
        assert isinstance(select, Select)
        assert select.value == agent.id
        # Starting from it is not a change: Escape closes without asking.
        assert not form.is_dirty
        await pilot.press(*"Ana", "tab", *"LC-1")
        await wait_until(pilot, lambda: form.can_send)
        await pilot.press("enter")
        await settle(pilot)
        [sent] = app.results
        page = await app.api.conversations.messages(sent.conversation_id or "")
        assert page.items[0].from_user_id == agent.id


async def test_an_unknown_agent_is_not_preselected(sandbox: Any) -> None:
    app = Host(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await app.show(pilot, app.picker(phone="+385981240005", agent_id="gone"))
        form = await open_form(pilot, picker, "loyalty_card Welcome")
        assert form.members
        assert form.fields["agent_id"].value is None


async def test_inbox_template_is_sent_as_the_composers_agent(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    from inbox_helpers import make_app, ready, wait_for

    from sendbee_tui.tui.inbox import model_id

    app = make_app(fresh_sandbox, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        main = app.main_screen
        assert main is not None and app.client is not None
        members = (await app.client.teams.members()).items
        agent = members[0]
        conv = main.conv_list.rows[0]
        main.conv_list.move_to(model_id(conv))
        await pilot.press("enter")
        await wait_for(pilot, lambda: main.thread.conversation_id == conv.id)
        main.composer.set_agent(agent)  # what Ctrl+G in the composer chooses
        await pilot.press("escape", "t")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TemplatePickerScreen) and app.screen.loaded
        )
        picker = app.screen
        assert isinstance(picker, TemplatePickerScreen)
        assert picker.agent_id == agent.id
        picker.query_one("#template-search", Input).value = "loyalty_card Welcome"
        await wait_for(pilot, lambda: len(picker.shown) == 1)
        await pilot.press("enter")
        form = await wait_for_screen(pilot, TemplateFormScreen)
        await wait_for(pilot, lambda: form.fields["agent_id"].value == agent.id)
        await pilot.press(*"Ana", "tab", *"LC-5", "enter")
        await wait_for(pilot, lambda: form.result is not None)
        assert form.result is not None
        page = await app.client.conversations.messages(form.result.conversation_id or "")
        assert page.items[0].from_user_id == agent.id
        assert page.items[0].body == (
            "Welcome Ana! Your loyalty card LC-5 is ready: show it at the till."
        )
        toasts = [n.message for n in app._notifications if WINDOW_NOTICE in n.message]
        assert toasts and f"Template sent to {conv.contact.name}" in toasts[-1]
