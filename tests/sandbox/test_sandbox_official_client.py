"""The official ``sendbee-api`` client, unchanged, against the sandbox: every endpoint.

Only the ``protocol`` and ``base_url`` class attributes are changed (on a subclass,
so no global state leaks into other tests). The client is synchronous and opens
a new connection per call, which is fine for plain sync tests.
"""

from __future__ import annotations

import pytest
from sendbee_api import PaginationException, SendbeeApi, SendbeeRequestApiException

from sendbee_tui.sandbox import SandboxServer


def official(server: SandboxServer) -> SendbeeApi:
    class Local(SendbeeApi):
        protocol = "http"
        base_url = server.base_url.removeprefix("http://")

    return Local(server.api_key, server.api_secret)


@pytest.fixture(scope="module")
def ro(sandbox: SandboxServer) -> SendbeeApi:
    return official(sandbox)


@pytest.fixture
def rw(fresh_sandbox: SandboxServer) -> SendbeeApi:
    return official(fresh_sandbox)


def test_read_endpoints(ro: SendbeeApi) -> None:
    contacts = ro.contacts(limit=20)
    assert len(list(contacts)) == 20 and contacts.meta.total == 60 and contacts.has_next()
    c = next(iter(contacts))
    assert c.id and c.phone.startswith("+") and isinstance(c.tags, list)
    assert {t.name for t in ro.tags(limit=100)} >= {"vip", "new"}
    assert {f.type for f in ro.contact_fields(limit=100)} == {
        "text",
        "number",
        "list",
        "date",
        "boolean",
    }
    convs = ro.conversations(folder="open")
    conv = next(iter(convs))
    assert conv.folder == "open" and conv.contact.phone and conv.last_message.direction
    single = ro.get_conversation(conversation_id=conv.id)
    assert single.id == conv.id
    msgs = list(ro.messages(conversation_id=conv.id))
    assert msgs and all(isinstance(m.sent_at, float) and m.sent_at > 0 for m in msgs)
    templates = list(ro.message_templates(status="approved", limit=100))
    assert templates and all(t.status == "approved" for t in templates)
    assert any(t.buttons for t in templates)
    teams = list(ro.teams())
    assert len(teams) == 2 and teams[0].members
    members = list(ro.members())
    assert members and members[0].teams
    status = ro.chatbot_activity_status(conversation_id=conv.id)
    assert status.conversation_id == conv.id and status.chatbot_active in (True, False)
    assert next(iter(ro.rate_limit_request_test())).error is False


def test_pagination_to_the_end_and_beyond(ro: SendbeeApi) -> None:
    page, seen = 1, []
    while True:
        resp = ro.conversations(page=page, limit=25)
        seen += [c.id for c in resp]
        if not resp.has_next():
            break
        page = resp.next_page()
    assert len(seen) == len(set(seen)) == 60
    with pytest.raises(PaginationException):
        ro.conversations(page=page + 1, limit=25)


def test_errors_surface_as_official_exceptions(sandbox: SandboxServer, ro: SendbeeApi) -> None:
    with pytest.raises(SendbeeRequestApiException) as info:
        ro.get_conversation(conversation_id="nope")
    # The official client words every 404 as "Endpoint not found"; the body is precise.
    assert info.value.response.status_code == 404 and "nope" in info.value.response.raw_data
    bad = type(ro)(sandbox.api_key, "wrong-secret")
    with pytest.raises(SendbeeRequestApiException) as info:
        bad.contacts()
    assert "signature" in str(info.value.args[0])
    with pytest.raises(SendbeeRequestApiException) as info:
        ro.rate_limit_error_test()
    assert info.value.response.status_code == 429


def test_write_endpoints(fresh_sandbox: SandboxServer, rw: SendbeeApi) -> None:
    contact = rw.subscribe_contact(
        phone="+38598765432",
        name="Official Client",
        tags=["api"],
        notes=["hello"],
        contact_fields={"Plan": "Pro"},
    )
    assert contact.name == "Official Client" and [t.name for t in contact.tags] == ["api"]
    assert contact.notes[0].value == "hello" and contact.contact_fields[0].value == "Pro"
    updated = rw.update_contact(id=contact.id, name="Renamed", notes=["again"])
    assert updated.name == "Renamed" and len(updated.notes) == 2

    tag = rw.create_tag(name="official")
    assert rw.update_tag(id=tag.id, name="official2").name == "official2"
    assert "deleted" in rw.delete_tag(id=tag.id).message

    field = rw.create_contact_field(name="Shoe size", type="number")
    assert field.type == "number" and field.options == []
    assert rw.update_contact_field(id=field.id, name="Shoe").name == "Shoe"
    assert "deleted" in rw.delete_contact_field(id=field.id).message

    fresh_sandbox.inbound("+38598765432", "hi from the customer")
    sent = rw.send_message(phone="+38598765432", text="hi from the official client")
    assert sent.conversation_id and sent.message_id and sent.status == "sent"
    tpl = rw.send_template_message(
        phone="+38598765432",
        template_keyword="order_shipped",
        language="en",
        tags={"1": "A", "2": "B", "3": "C"},
        button_tags={"1": "B"},
        prevent_bot_off=True,
    )
    assert tpl.conversation_id == sent.conversation_id
    # The documentation's own example: named placeholders filled by name.
    named = rw.send_template_message(
        phone="+38598765432",
        template_keyword="loyalty_card",
        language="en",
        tags={"name": "Ana", "card_number": "LC-1"},
    )
    assert named.conversation_id == sent.conversation_id
    by_bsuid = rw.update_contact(whatsapp_user_id=updated.whatsapp_user_id, name="By BSUID")
    assert by_bsuid.id == contact.id and by_bsuid.name == "By BSUID"
    with pytest.raises(SendbeeRequestApiException) as info:
        rw.send_template_message(
            phone="+38598765432", template_keyword="flash_sale", language="en", tags={"1": "50"}
        )
    assert "not approved" in info.value.args[0]

    moved = rw.update_conversation(conversation_id=sent.conversation_id, folder="done")
    assert moved.folder == "done"
    ack = rw.chatbot_activity(conversation_id=sent.conversation_id, active=True)
    assert "activated" in ack.message
    assert rw.chatbot_activity_status(conversation_id=sent.conversation_id).chatbot_active

    hook = rw.subscribe_webhook(url="http://127.0.0.1:9/hook", event="message.received")
    assert hook.active and hook.selected_webhooks == ["message.received"] and hook.secret_key
