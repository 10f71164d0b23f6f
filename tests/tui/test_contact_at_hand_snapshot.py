"""SVG snapshots of the contact pane (with its key line) and of the inbox's contact forms.

Fixed data, no network: the forms only make requests when submitted, so their
client points at a closed port.  Cursors do not blink (every picture the same).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contacts_harness import wait_until
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static, TextArea

from sendbee_tui.api import (
    Contact,
    ContactField,
    ContactFieldValue,
    Conversation,
    ConversationContact,
    Note,
    SendbeeClient,
    Tag,
)
from sendbee_tui.tui.screens.contacts import ContactForm
from sendbee_tui.tui.screens.contacts.quick import NoteForm, TagChangeForm
from sendbee_tui.tui.widgets.contact_pane import ContactPane

TAGS = [Tag(id="t1", name="vip"), Tag(id="t2", name="newsletter"), Tag(id="t3", name="wholesale")]
FIELDS = [
    ContactField(id="f1", name="City", type="text"),
    ContactField(id="f2", name="Orders", type="number"),
    ContactField(id="f3", name="Plan", type="list", options=("Free", "Pro", "Business")),
    ContactField(id="f4", name="Opted in", type="boolean"),
]
CONTACT = Contact(
    id="c-ana",
    name="Ana Horvat",
    phone="+385911234567",
    status="subscribed",
    tags=(TAGS[0], TAGS[1]),
    notes=(
        Note(id="n1", value="Prefers messages in the morning."),
        Note(id="n2", value="Called back about order #1042."),
    ),
    contact_fields=(
        ContactFieldValue(key="City", value="Zagreb"),
        ContactFieldValue(key="Orders", value=12),
        ContactFieldValue(key="Plan", value="Pro"),
    ),
)
CONVERSATION = Conversation(
    id="conv-ana",
    folder="open",
    chatbot_active=False,
    contact=ConversationContact(id="c-ana", name="Ana Horvat", phone="+385911234567"),
)


class PaneHost(App[None]):
    """The pane at the right of a stand-in for the inbox, showing a loaded contact."""

    CSS = "#rest { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("(conversation list and thread)", id="rest")
            yield ContactPane(id="contact")

    def on_mount(self) -> None:
        self.query_one(ContactPane).show(CONVERSATION, CONTACT)


class FormHost(App[None]):
    """Shows one form built on a client that is never used."""

    def __init__(self, make: Callable[[SendbeeClient], Screen[Any]]) -> None:
        super().__init__()
        self._make = make
        self.client = SendbeeClient("preview", "preview", base_url="http://127.0.0.1:9")

    async def on_mount(self) -> None:
        form = self._make(self.client)
        await self.push_screen(form)
        for box in form.query(Input):
            box.cursor_blink = False
        for area in form.query(TextArea):
            area.cursor_blink = False

    async def on_unmount(self) -> None:
        await self.client.aclose()


def edit_form(client: SendbeeClient) -> Screen[Any]:
    return ContactForm(
        client,
        contact=CONTACT,
        tags=TAGS,
        fields=FIELDS,
        phone_editable=False,
        title="Edit Ana Horvat (+385911234567)",
    )


def tag_form(client: SendbeeClient) -> Screen[Any]:
    return TagChangeForm(client, CONTACT, mode="add", known=[t.name or "" for t in TAGS])


def note_form(client: SendbeeClient) -> Screen[Any]:
    return NoteForm(client, CONTACT)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause()


async def _type_a_tag(pilot: Pilot[Any]) -> None:
    await _settle(pilot)
    await pilot.press(*"who")
    box = pilot.app.screen.query_one("#input-tags", Input)
    await wait_until(pilot, lambda: box._suggestion == "wholesale")  # shown as grey "lesale"


def test_contact_pane_80x24(snap_compare: Any) -> None:
    assert snap_compare(PaneHost(), terminal_size=(80, 24), run_before=_settle)


def test_contact_pane_160x48(snap_compare: Any) -> None:
    assert snap_compare(PaneHost(), terminal_size=(160, 48), run_before=_settle)


def test_inbox_edit_form_80x24(snap_compare: Any) -> None:
    assert snap_compare(FormHost(edit_form), terminal_size=(80, 24), run_before=_settle)


def test_inbox_edit_form_160x48(snap_compare: Any) -> None:
    assert snap_compare(FormHost(edit_form), terminal_size=(160, 48), run_before=_settle)


def test_tag_form_80x24(snap_compare: Any) -> None:
    assert snap_compare(FormHost(tag_form), terminal_size=(80, 24), run_before=_type_a_tag)


def test_note_form_160x48(snap_compare: Any) -> None:
    assert snap_compare(FormHost(note_form), terminal_size=(160, 48), run_before=_settle)
