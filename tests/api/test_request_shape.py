"""Every endpoint's request as a real loopback server receives it: method, path,
query encoding (comma lists, 1/0 booleans, None dropped), JSON bodies (DELETE too),
auth headers, and parsing of the answer."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import pytest
from apitest_support import API_KEY, API_SECRET, Recorder, Reply

from sendbee_tui.api import (
    Acknowledgement,
    ChatbotStatus,
    Contact,
    ContactField,
    Conversation,
    Page,
    RateLimitStatus,
    SendbeeAuth,
    SendbeeClient,
    SentMessage,
    Tag,
    Webhook,
)

CONTACT = {
    "id": "c1",
    "name": "Ana",
    "phone": "+385911234567",
    "tags": [],
    "notes": [],
    "contact_fields": [],
}


async def test_auth_and_content_headers(recorder: Recorder, client: SendbeeClient) -> None:
    await client.contacts.list()
    headers = recorder.last.headers
    assert headers["x-api-key"] == API_KEY
    assert headers["accept"] == "application/json"
    assert SendbeeAuth(API_SECRET).verify(headers["x-auth-token"])
    ts = int(base64.b64decode(headers["x-auth-token"]).split(b".")[0])
    assert abs(ts - datetime.now(timezone.utc).timestamp()) < 5


async def test_fresh_token_and_one_connection_for_many_requests(
    recorder: Recorder, client: SendbeeClient
) -> None:
    for _ in range(3):
        await client.tags.list()
    # keep-alive: the pool holds a single connection to the server
    pool = client.transport.http_client._transport._pool  # type: ignore[attr-defined]
    assert len(pool.connections) == 1
    assert all(SendbeeAuth(API_SECRET).verify(r.headers["x-auth-token"]) for r in recorder.requests)


async def test_contacts_list_query_encoding(recorder: Recorder, client: SendbeeClient) -> None:
    recorder.reply(
        "GET",
        "/contacts",
        Reply(
            body={
                "data": [CONTACT],
                "meta": {
                    "current_page": 2,
                    "from": 11,
                    "to": 11,
                    "per_page": 10,
                    "last_page": 2,
                    "total": 11,
                },
                "links": {"first": "f", "last": "l", "prev": "p", "next": None},
            }
        ),
    )
    page = await client.contacts.list(
        tags=["vip", "new"], status="subscribed", search_query="Ana H", page=2, limit=10
    )
    rec = recorder.last
    assert (rec.method, rec.path) == ("GET", "/contacts")
    assert "tags=vip,new" in rec.raw_query
    assert rec.query == {
        "tags": "vip,new",
        "status": "subscribed",
        "search_query": "Ana H",
        "page": "2",
        "limit": "10",
    }
    assert rec.body == b""
    assert isinstance(page, Page) and isinstance(page.items[0], Contact)
    assert page.meta.current_page == 2 and page.meta.total == 11 and page.meta.from_ == 11
    assert page.links.prev == "p" and not page.has_next()


async def test_none_parameters_are_dropped(recorder: Recorder, client: SendbeeClient) -> None:
    # Nothing asked for, nothing sent: not even page=1 (the official clients send none).
    await client.contacts.list(tags=None, status=None, search_query=None)
    assert recorder.last.query == {}
    assert recorder.last.raw_query == ""


async def test_boolean_query_values_are_1_and_0(recorder: Recorder, client: SendbeeClient) -> None:
    await client.transport.request(
        "GET", "/contacts", params={"a": True, "b": False, "c": None, "d": [1, 2]}
    )
    assert recorder.last.query == {"a": "1", "b": "0", "d": "1,2"}


async def test_subscribe_contact_body(recorder: Recorder, client: SendbeeClient) -> None:
    recorder.reply("POST", "/contacts/subscribe", Reply(body={"data": CONTACT}))
    contact = await client.contacts.subscribe(
        phone="+385 91 123 4567",
        name="Ana",
        tags=("vip",),
        notes=["hello"],
        contact_fields={"City": "Zagreb"},
    )
    rec = recorder.last
    assert (rec.method, rec.path) == ("POST", "/contacts/subscribe")
    assert rec.headers["content-type"] == "application/json"
    assert rec.json == {
        "phone": "+385911234567",
        "name": "Ana",
        "tags": ["vip"],
        "notes": ["hello"],
        "contact_fields": {"City": "Zagreb"},
        "block_notifications": True,
        "block_automation": True,
    }
    assert contact.id == "c1"


async def test_update_contact_body_single_object_as_list(
    recorder: Recorder, client: SendbeeClient
) -> None:
    recorder.reply("PUT", "/contacts", Reply(body={"data": [CONTACT]}))
    contact = await client.contacts.update(id="c1", name="Ana B", tags=[])
    assert recorder.last.json == {"id": "c1", "name": "Ana B", "tags": []}
    assert contact.name == "Ana"  # what the server returned, not what was sent


async def test_subscribe_by_whatsapp_user_id_only(
    recorder: Recorder, client: SendbeeClient
) -> None:
    recorder.reply("POST", "/contacts/subscribe", Reply(body={"data": CONTACT}))
    await client.contacts.subscribe(whatsapp_user_id="US.13491208655302741918", name="Bo")
    assert recorder.last.json == {
        "whatsapp_user_id": "US.13491208655302741918",
        "name": "Bo",
        "block_notifications": True,
        "block_automation": True,
    }


async def test_subscribe_needs_a_phone_or_a_whatsapp_user_id(
    recorder: Recorder, client: SendbeeClient
) -> None:
    with pytest.raises(ValueError, match=r"phone .* or whatsapp_user_id"):
        await client.contacts.subscribe(name="Nobody")
    assert recorder.requests == []


async def test_update_by_whatsapp_user_id_with_block_notifications(
    recorder: Recorder, client: SendbeeClient
) -> None:
    recorder.always("PUT", "/contacts", Reply(body={"data": CONTACT}))
    await client.contacts.update(whatsapp_user_id="HR.1", name="Ana", block_notifications=False)
    assert recorder.last.json == {
        "whatsapp_user_id": "HR.1",
        "name": "Ana",
        "block_notifications": False,
    }
    # Not given: not sent (the server keeps its setting).
    await client.contacts.update(id="c1", name="Ana")
    assert recorder.last.json == {"id": "c1", "name": "Ana"}
    with pytest.raises(ValueError, match="id or whatsapp_user_id"):
        await client.contacts.update(name="Nobody")


async def test_template_tags_may_be_named(recorder: Recorder, client: SendbeeClient) -> None:
    # The official docs fill "Welcome {name}!" with tags={"name": ...}.
    recorder.reply(
        "POST",
        "/conversations/messages/templates/send",
        Reply(body={"data": {"id": "conv", "message_id": "m"}}),
    )
    await client.messages.send_template(
        phone="+385911234567",
        keyword="welcome",
        language="en",
        tags={"name": "Ana", "1": 5, "order_no": None},
    )
    assert recorder.last.json["tags"] == {"name": "Ana", "1": "5", "order_no": ""}


async def test_list_calls_send_only_what_was_asked(
    recorder: Recorder, client: SendbeeClient
) -> None:
    calls = [
        lambda: client.contacts.list(),
        lambda: client.tags.list(),
        lambda: client.fields.list(),
        lambda: client.conversations.list(),
        lambda: client.templates.list(),
        lambda: client.teams.list(),
        lambda: client.teams.members(),
        lambda: client.conversations.messages("conv1"),
    ]
    for call in calls:
        await call()
    queries = [r.query for r in recorder.requests]
    assert queries == [{}] * 7 + [{"conversation_id": "conv1"}]
    await client.teams.members(page=2)
    assert recorder.last.query == {"page": "2"}


@pytest.mark.parametrize(
    ("call", "method", "path", "body", "query", "model"),
    [
        (
            lambda c: c.tags.list(name="vip", limit=5),
            "GET",
            "/contacts/tags",
            None,
            {"name": "vip", "limit": "5"},
            None,
        ),
        (lambda c: c.tags.create("vip"), "POST", "/contacts/tags", {"name": "vip"}, {}, Tag),
        (
            lambda c: c.tags.update("t1", "gold"),
            "PUT",
            "/contacts/tags",
            {"id": "t1", "name": "gold"},
            {},
            Tag,
        ),
        (
            lambda c: c.tags.delete("t1"),
            "DELETE",
            "/contacts/tags",
            {"id": "t1"},
            {},
            Acknowledgement,
        ),
        (
            lambda c: c.fields.list(search_query="si"),
            "GET",
            "/contacts/fields",
            None,
            {"search_query": "si"},
            None,
        ),
        (
            lambda c: c.fields.create("Size", "list", ["S", "M"]),
            "POST",
            "/contacts/fields",
            {"name": "Size", "type": "list", "options": ["S", "M"]},
            {},
            ContactField,
        ),
        (
            lambda c: c.fields.update("f1", name="Sz"),
            "PUT",
            "/contacts/fields",
            {"id": "f1", "name": "Sz"},
            {},
            ContactField,
        ),
        (
            lambda c: c.fields.delete("f1"),
            "DELETE",
            "/contacts/fields",
            {"id": "f1"},
            {},
            Acknowledgement,
        ),
        (
            lambda c: c.conversations.list(
                folder="done",
                search_query="ana",
                date_from=100,
                date_to=datetime(2024, 1, 1, tzinfo=timezone.utc),
            ),
            "GET",
            "/conversations",
            None,
            {"folder": "done", "search_query": "ana", "date_from": "100", "date_to": "1704067200"},
            None,
        ),
        (
            lambda c: c.conversations.get("conv1"),
            "GET",
            "/conversation",
            None,
            {"conversation_id": "conv1"},
            Conversation,
        ),
        (
            lambda c: c.conversations.move("conv1", "done"),
            "POST",
            "/conversation",
            {"conversation_id": "conv1", "folder": "done"},
            {},
            Conversation,
        ),
        (
            lambda c: c.conversations.messages("conv1", page=3),
            "GET",
            "/conversations/messages",
            None,
            {"conversation_id": "conv1", "page": "3"},
            None,
        ),
        (
            lambda c: c.templates.list(status="approved", search_query="wel"),
            "GET",
            "/conversations/messages/templates",
            None,
            {"status": "approved", "search_query": "wel"},
            None,
        ),
        (
            lambda c: c.messages.send(phone="+385911234567", text="Hi"),
            "POST",
            "/conversations/messages/send",
            {"phone": "+385911234567", "text": "Hi", "prevent_bot_off": False},
            {},
            SentMessage,
        ),
        (
            lambda c: c.messages.send(
                whatsapp_user_id="HR.1",
                media_url="https://x.test/a.png",
                prevent_bot_off=True,
                agent_id="a1",
                live_inbox=True,
            ),
            "POST",
            "/conversations/messages/send",
            {
                "whatsapp_user_id": "HR.1",
                "media_url": "https://x.test/a.png",
                "prevent_bot_off": True,
                "agent_id": "a1",
                "live_inbox": True,
            },
            {},
            SentMessage,
        ),
        (
            lambda c: c.messages.send_template(
                phone="+385911234567",
                keyword="welcome",
                language="en",
                tags={"1": "Ana"},
                button_tags={"1": "abc"},
                attachment="https://x.test/doc.pdf",
            ),
            "POST",
            "/conversations/messages/templates/send",
            {
                "phone": "+385911234567",
                "template_keyword": "welcome",
                "language": "en",
                "tags": {"1": "Ana"},
                "button_tags": {"1": "abc"},
                "attachment": "https://x.test/doc.pdf",
                "prevent_bot_off": False,
            },
            {},
            SentMessage,
        ),
        (
            lambda c: c.teams.list(member_id="m1"),
            "GET",
            "/teams/teams",
            None,
            {"member_id": "m1"},
            None,
        ),
        (
            lambda c: c.teams.members(team_id="t1"),
            "GET",
            "/teams/members",
            None,
            {"team_id": "t1"},
            None,
        ),
        (
            lambda c: c.chatbot.set("conv1", False),
            "PUT",
            "/automation/chatbot/activity",
            {"conversation_id": "conv1", "active": False},
            {},
            Acknowledgement,
        ),
        (
            lambda c: c.chatbot.status("conv1"),
            "GET",
            "/automation/chatbot/activity/status",
            None,
            {"conversation_id": "conv1"},
            ChatbotStatus,
        ),
        (
            lambda c: c.webhooks.subscribe("https://x.test/h", "message.received"),
            "POST",
            "/webhooks/subscribe",
            {"url": "https://x.test/h", "event": "message.received"},
            {},
            Webhook,
        ),
        (
            lambda c: c.rate_limit.request_test(),
            "GET",
            "/rate-limit/request-test",
            None,
            {},
            RateLimitStatus,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("/") else None,
)
async def test_endpoint_shapes(
    recorder: Recorder,
    client: SendbeeClient,
    call: Any,
    method: str,
    path: str,
    body: Any,
    query: dict[str, str],
    model: type | None,
) -> None:
    recorder.always(method, path, Reply(body={"data": {"id": "x", "message": "ok"}}))
    result = await call(client)
    rec = recorder.last
    assert (rec.method, rec.path) == (method, path)
    assert rec.query == query
    assert rec.json == body
    if model is None:
        assert isinstance(result, Page)
    else:
        assert isinstance(result, model)


async def test_delete_sends_json_body_with_content_type(
    recorder: Recorder, client: SendbeeClient
) -> None:
    recorder.reply("DELETE", "/contacts/tags", Reply(body={"message": "Tag deleted"}))
    ack = await client.tags.delete("t9")
    assert recorder.last.headers["content-type"] == "application/json"
    assert recorder.last.body == b'{"id":"t9"}'
    assert ack.message == "Tag deleted"  # top-level message without a data envelope


async def test_contact_update_with_notes_is_not_retried(
    recorder: Recorder, client: SendbeeClient
) -> None:
    recorder.reply("PUT", "/contacts", Reply(status=503, body={"detail": "busy"}))
    from sendbee_tui.api import ServerError

    with pytest.raises(ServerError):
        await client.contacts.update(id="c1", notes=["appended twice would be bad"])
    assert len(recorder.requests) == 1
