"""Domain rules, driven over HTTP against servers of their own (these tests mutate)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_support import Api, FakeClock, error

from sendbee_tui.sandbox import SandboxServer


@pytest.fixture
def clocked() -> Iterator[tuple[SandboxServer, Api, FakeClock]]:
    """A server whose domain clock the test controls (auth still uses the wall clock)."""
    clock = FakeClock()
    server = SandboxServer(clock=clock, contacts=10, conversations=12, messages_per_conversation=6)
    server.start()
    api = Api(server)
    yield server, api, clock
    api.close()
    server.stop()


def _open_window_conversation(api: Api) -> dict:
    for conv in api.get("/conversations", limit=100).json()["data"]:
        if conv["last_message"]["direction"] == "inbound" and conv["folder"] != "spam":
            return conv
    raise AssertionError("demo data has no conversation waiting for a reply")


def test_send_inside_window_turns_chatbot_off(fresh_api: Api) -> None:
    conv = _open_window_conversation(fresh_api)
    phone = conv["contact"]["phone"]
    fresh_api.ok(
        fresh_api.put(
            "/automation/chatbot/activity", {"conversation_id": conv["id"], "active": True}
        )
    )
    sent = fresh_api.ok(
        fresh_api.post(
            "/conversations/messages/send", {"phone": phone, "text": "Hello [b]there[/b]"}
        )
    )
    assert sent["id"] == conv["id"] and sent["message_id"] and sent["status"] == "sent"
    assert sent["message_reference_id"]
    status = fresh_api.ok(
        fresh_api.get("/automation/chatbot/activity/status", conversation_id=conv["id"])
    )
    assert status["chatbot_active"] is False
    msgs = fresh_api.get("/conversations/messages", conversation_id=conv["id"]).json()["data"]
    assert msgs[0]["id"] == sent["message_id"] and msgs[0]["body"] == "Hello [b]there[/b]"
    assert msgs[0]["direction"] == "outbound"
    top = fresh_api.get("/conversations").json()["data"][0]
    assert top["id"] == conv["id"] and top["last_message"]["direction"] == "outbound"


def test_prevent_bot_off_keeps_chatbot(fresh_api: Api) -> None:
    conv = _open_window_conversation(fresh_api)
    fresh_api.ok(
        fresh_api.put(
            "/automation/chatbot/activity", {"conversation_id": conv["id"], "active": True}
        )
    )
    fresh_api.ok(
        fresh_api.post(
            "/conversations/messages/send",
            {"phone": conv["contact"]["phone"], "text": "bot stays", "prevent_bot_off": True},
        )
    )
    assert (
        fresh_api.ok(
            fresh_api.get("/automation/chatbot/activity/status", conversation_id=conv["id"])
        )["chatbot_active"]
        is True
    )


def test_media_send_infers_type(fresh_api: Api) -> None:
    conv = _open_window_conversation(fresh_api)
    phone = conv["contact"]["phone"]
    fresh_api.ok(
        fresh_api.post(
            "/conversations/messages/send",
            {"phone": phone, "media_url": "https://cdn.example.com/a/manual.PDF", "text": "manual"},
        )
    )
    msg = fresh_api.get("/conversations/messages", conversation_id=conv["id"]).json()["data"][0]
    assert (msg["media_type"], msg["body"]) == ("document", "manual")
    err = error(
        fresh_api.post(
            "/conversations/messages/send",
            {"phone": phone, "media_url": "https://cdn.example.com/a/file.exe"},
        ),
        400,
    )
    assert err["type"] == "unsupported_media" and ".exe" in err["detail"]


def test_24h_window_closes_and_reopens(clocked) -> None:
    server, api, clock = clocked
    server.inbound("+385 91 000 1234", "hello", name="Window Test")
    sent = api.ok(
        api.post("/conversations/messages/send", {"phone": "+385910001234", "text": "hi"})
    )
    clock.advance(24 * 3600 + 1)
    r = api.post("/conversations/messages/send", {"phone": "+385910001234", "text": "late"})
    err = error(r, 400)
    assert err["type"] == "outside_customer_care_window" and "24-hour" in err["detail"]
    # Templates are still allowed outside the window.
    api.ok(
        api.post(
            "/conversations/messages/templates/send",
            {
                "phone": "+385910001234",
                "template_keyword": "welcome",
                "language": "en",
                "tags": {"1": "Ana", "2": "Sendbee"},
            },
        )
    )
    # A new customer message reopens it.
    api.ok(api.post("/_sandbox/inbound", {"phone": "+385910001234", "text": "back again"}))
    again = api.ok(
        api.post("/conversations/messages/send", {"phone": "+385910001234", "text": "welcome back"})
    )
    assert again["id"] == sent["id"]


def test_free_form_to_unknown_phone_is_rejected_without_writes(fresh_api: Api) -> None:
    err = error(
        fresh_api.post("/conversations/messages/send", {"phone": "+15550001111", "text": "hi"}), 400
    )
    assert err["type"] == "outside_customer_care_window"
    assert fresh_api.get("/contacts", search_query="15550001111").json()["data"] == []


def test_template_to_new_phone_creates_contact_and_conversation(fresh_api: Api) -> None:
    sent = fresh_api.ok(
        fresh_api.post(
            "/conversations/messages/templates/send",
            {
                "phone": "+15550002222",
                "template_keyword": "order_shipped",
                "language": "en",
                "tags": {"1": "Zoë", "2": "#A-17", "3": "tomorrow"},
                "button_tags": {"1": "A-17"},
            },
        )
    )
    conv = fresh_api.ok(fresh_api.get("/conversation", conversation_id=sent["id"]))
    assert conv["contact"]["phone"] == "+15550002222" and conv["folder"] == "open"
    msg = fresh_api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"][0]
    assert msg["body"] == "Hi Zoë, your order #A-17 has shipped and arrives tomorrow."
    contacts = fresh_api.get("/contacts", search_query="15550002222").json()["data"]
    assert len(contacts) == 1 and contacts[0]["id"] == conv["contact"]["id"]


@pytest.mark.parametrize(
    ("body", "status", "type_"),
    [
        (
            {"template_keyword": "welcome", "language": "de", "tags": {"1": "a", "2": "b"}},
            422,
            "template_language_mismatch",
        ),
        (
            {
                "template_keyword": "payment_reminder",
                "language": "en",
                "tags": {"1": "a", "2": "b", "3": "c"},
            },
            422,
            "template_not_approved",
        ),
        (
            {"template_keyword": "flash_sale", "language": "en", "tags": {"1": "50"}},
            422,
            "template_not_approved",
        ),
        (
            {"template_keyword": "welcome", "language": "en", "tags": {"1": "Ana"}},
            422,
            "missing_template_tags",
        ),
        (
            {
                "template_keyword": "order_shipped",
                "language": "en",
                "tags": {"1": "a", "2": "b", "3": "c"},
            },
            422,
            "missing_button_tags",
        ),
        (
            {
                "template_keyword": "welcome",
                "language": "en",
                "tags": {"1": "a", "2": "b"},
                "attachment": "https://x.example/a.jpg",
            },
            422,
            "attachment_not_allowed",
        ),
        (
            {"template_keyword": "invoice", "language": "en", "tags": {"1": "a", "2": "b"}},
            422,
            "attachment_required",
        ),
        (
            {
                "template_keyword": "invoice",
                "language": "en",
                "tags": {"1": "a", "2": "b"},
                "attachment": "https://x.example/a.jpg",
            },
            422,
            "attachment_type_mismatch",
        ),
        ({"template_keyword": "welcome", "language": "en", "tags": "Ana"}, 400, "invalid_type"),
    ],
)
def test_template_rules(sandbox: SandboxServer, body: dict, status: int, type_: str) -> None:
    api = Api(sandbox)
    r = api.post("/conversations/messages/templates/send", {"phone": "+15550003333", **body})
    assert error(r, status)["type"] == type_
    assert api.get("/contacts", search_query="15550003333").json()["data"] == []
    api.close()


def test_template_with_attachment_and_list_tags(fresh_api: Api) -> None:
    conv = _open_window_conversation(fresh_api)
    sent = fresh_api.ok(
        fresh_api.post(
            "/conversations/messages/templates/send",
            {
                "phone": conv["contact"]["phone"],
                "template_keyword": "invoice",
                "language": "en",
                "tags": ["Ana", "INV-9"],
                "attachment": "https://files.example.com/inv-9.pdf",
            },
        )
    )
    msg = fresh_api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"][0]
    assert msg["media_type"] == "document"
    assert msg["media_url"] == "https://files.example.com/inv-9.pdf"
    assert msg["body"].startswith("Hi Ana, your invoice INV-9")


def test_status_progression_follows_the_clock(clocked) -> None:
    server, api, clock = clocked
    server.inbound("+385910005555", "hi")
    sent = api.ok(api.post("/conversations/messages/send", {"phone": "+385910005555", "text": "x"}))

    def status() -> str:
        msgs = api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"]
        return next(m["status"] for m in msgs if m["id"] == sent["message_id"])

    assert status() == "sent"
    clock.advance(2.5)
    assert status() == "delivered"
    assert (
        api.ok(api.get("/conversation", conversation_id=sent["id"]))["last_message"]["status"]
        == "delivered"
    )
    clock.advance(10)
    assert status() == "read"


def test_unreachable_number_fails_with_reason(fresh_sandbox: SandboxServer) -> None:
    api = Api(fresh_sandbox)
    fresh_sandbox.inbound("+385915550000", "I exist but WhatsApp says no")
    sent = api.ok(
        api.post("/conversations/messages/send", {"phone": "+385915550000", "text": "will fail"})
    )
    assert sent["status"] == "failed"
    msg = api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"][0]
    assert msg["status"] == "failed" and "not a WhatsApp user" in msg["fail_reason"]
    api.close()


def test_move_conversation(fresh_api: Api) -> None:
    conv = _open_window_conversation(fresh_api)
    moved = fresh_api.ok(
        fresh_api.post("/conversation", {"conversation_id": conv["id"], "folder": "done"})
    )
    assert moved["folder"] == "done"
    done = fresh_api.get("/conversations", folder="done", limit=100).json()["data"]
    assert conv["id"] in {c["id"] for c in done}
    # A new customer message reopens a done conversation.
    fresh_api.ok(
        fresh_api.post(
            "/_sandbox/inbound", {"phone": conv["contact"]["phone"], "text": "one more thing"}
        )
    )
    assert (
        fresh_api.ok(fresh_api.get("/conversation", conversation_id=conv["id"]))["folder"] == "open"
    )


def test_inbound_creates_contact_and_conversation(fresh_api: Api) -> None:
    data = fresh_api.ok(
        fresh_api.post(
            "/_sandbox/inbound",
            {
                "phone": "+4915112345678",
                "text": "Hallo!",
                "name": "Jörg Neu",
                "media_type": "image",
                "media_url": "https://x.example/p.jpg",
            },
        )
    )
    top = fresh_api.get("/conversations").json()["data"][0]
    assert top["id"] == data["conversation_id"] and top["contact"]["name"] == "Jörg Neu"
    msg = fresh_api.get("/conversations/messages", conversation_id=top["id"]).json()["data"][0]
    assert (msg["direction"], msg["status"], msg["media_type"]) == ("inbound", "received", "image")


def test_contacts_subscribe_and_update(fresh_api: Api) -> None:
    c = fresh_api.ok(
        fresh_api.post(
            "/contacts/subscribe",
            {
                "phone": "+385 91 222 3333",
                "name": "Ivana Test",
                "tags": ["vip", "brand-new"],
                "notes": ["first"],
                "contact_fields": {
                    "Plan": "Pro",
                    "Order count": 3,
                    "Unknown": "x",
                    "Newsletter opt-in": True,
                },
            },
        )
    )
    assert c["phone"] == "+385912223333" and c["status"] == "subscribed"
    assert {t["name"] for t in c["tags"]} == {"vip", "brand-new"}
    assert [n["value"] for n in c["notes"]] == ["first"]
    assert {f["key"]: f["value"] for f in c["contact_fields"]} == {
        "Plan": "Pro",
        "Order count": "3",
        "Newsletter opt-in": "true",
    }
    assert "brand-new" in {
        t["name"] for t in fresh_api.get("/contacts/tags", limit=100).json()["data"]
    }
    # Subscribing again updates the same contact and appends notes.
    again = fresh_api.ok(
        fresh_api.post("/contacts/subscribe", {"phone": "+385912223333", "notes": ["second"]})
    )
    assert again["id"] == c["id"] and [n["value"] for n in again["notes"]] == ["first", "second"]
    u = fresh_api.ok(
        fresh_api.put(
            "/contacts",
            {
                "id": c["id"],
                "name": "Ivana Updated",
                "tags": ["new"],
                "notes": ["third"],
                "contact_fields": {"Plan": "Free"},
            },
        )
    )
    assert u["name"] == "Ivana Updated" and [t["name"] for t in u["tags"]] == ["new"]
    assert [n["value"] for n in u["notes"]] == ["first", "second", "third"]
    assert {f["key"]: f["value"] for f in u["contact_fields"]}["Plan"] == "Free"
    err = error(
        fresh_api.put("/contacts", {"id": c["id"], "contact_fields": {"Plan": "Gold"}}), 400
    )
    assert "Free, Pro" in err["detail"] or "['Free', 'Pro', 'Enterprise']" in err["detail"]
    other = fresh_api.get("/contacts", limit=2).json()["data"][1]
    assert (
        error(fresh_api.put("/contacts", {"id": c["id"], "phone": other["phone"]}), 400)["type"]
        == "duplicate"
    )


def test_tags_crud_and_delete_removes_from_contacts(fresh_api: Api) -> None:
    tag = fresh_api.ok(fresh_api.post("/contacts/tags", {"name": "Temp"}))
    assert error(fresh_api.post("/contacts/tags", {"name": "temp"}), 400)["type"] == "duplicate"
    renamed = fresh_api.ok(fresh_api.put("/contacts/tags", {"id": tag["id"], "name": "Temporary"}))
    assert renamed == {"id": tag["id"], "name": "Temporary"}
    vip = fresh_api.get("/contacts/tags", name="vip").json()["data"][0]
    tagged = fresh_api.get("/contacts", tags="vip", limit=100).json()["data"]
    assert tagged
    assert fresh_api.ok(fresh_api.delete("/contacts/tags", {"id": vip["id"]}))["message"]
    for c in fresh_api.get("/contacts", limit=100).json()["data"]:
        assert "vip" not in {t["name"] for t in c["tags"]}
    assert fresh_api.get("/contacts", tags="vip").json()["data"] == []


def test_fields_crud(fresh_api: Api) -> None:
    f = fresh_api.ok(
        fresh_api.post(
            "/contacts/fields", {"name": "Size", "type": "list", "options": ["S", "M", "L"]}
        )
    )
    assert f["options"] == ["S", "M", "L"] and f["type"] == "list"
    f2 = fresh_api.ok(fresh_api.put("/contacts/fields", {"id": f["id"], "options": ["S", "XL"]}))
    assert f2["options"] == ["S", "XL"] and f2["name"] == "Size"
    f3 = fresh_api.ok(fresh_api.put("/contacts/fields", {"id": f["id"], "type": "text"}))
    assert f3["options"] == [] and f3["type"] == "text"
    company = fresh_api.get("/contacts/fields", search_query="Company").json()["data"][0]
    fresh_api.ok(fresh_api.delete("/contacts/fields", {"id": company["id"]}))
    for c in fresh_api.get("/contacts", limit=100).json()["data"]:
        assert "Company" not in {v["key"] for v in c["contact_fields"]}
    error(fresh_api.put("/contacts/fields", {"id": company["id"], "name": "x"}), 404)


def test_webhook_subscribe_accumulates_events(fresh_api: Api) -> None:
    w = fresh_api.ok(
        fresh_api.post(
            "/webhooks/subscribe", {"url": "http://127.0.0.1:9/hook", "event": "message.received"}
        )
    )
    assert w["active"] is True and w["selected_webhooks"] == ["message.received"]
    assert len(w["secret_key"]) >= 16
    w2 = fresh_api.ok(
        fresh_api.post(
            "/webhooks/subscribe", {"url": "http://127.0.0.1:9/hook", "event": "message.sent"}
        )
    )
    assert w2["id"] == w["id"]
    assert w2["selected_webhooks"] == ["message.received", "message.sent"]


def test_reset_restores_demo_data(fresh_api: Api) -> None:
    before = fresh_api.get("/conversations", limit=100).json()["data"]
    fresh_api.ok(fresh_api.post("/_sandbox/inbound", {"phone": "+15550009999", "text": "x"}))
    assert fresh_api.get("/conversations").json()["meta"]["total"] == 61
    fresh_api.ok(fresh_api.post("/_sandbox/reset"))
    after = fresh_api.get("/conversations", limit=100).json()["data"]
    assert [c["id"] for c in after] == [c["id"] for c in before]


def test_delete_accepts_the_id_in_the_query_string_too(fresh_api: Api) -> None:
    # The contract sends DELETE parameters as a JSON body; clients that cannot (many HTTP
    # libraries drop DELETE bodies) may use the query string instead.
    tag = fresh_api.ok(fresh_api.post("/contacts/tags", {"name": "via-query"}))
    r = fresh_api.http.delete(
        "/contacts/tags", params={"id": tag["id"]}, headers=fresh_api_headers(fresh_api)
    )
    assert r.status_code == 200, r.text
    assert fresh_api.get("/contacts/tags", name="via-query").json()["data"] == []


def fresh_api_headers(api: Api) -> dict[str, str]:
    from sandbox_support import headers

    return headers(api.server)


def test_contact_object_is_the_same_everywhere(fresh_api: Api) -> None:
    """SQLite renders list pages and single objects with one definition of each shape."""
    import re

    made = fresh_api.ok(
        fresh_api.post(
            "/contacts/subscribe",
            {
                "phone": "+385912224444",
                "name": "Shape Test",
                "tags": ["zeta", "Alpha", "beta"],
                "notes": ["one", "two"],
                "contact_fields": {"Plan": "Pro", "Company": "Acme"},
            },
        )
    )
    assert [t["name"] for t in made["tags"]] == ["Alpha", "beta", "zeta"]  # by name, any case
    assert [n["value"] for n in made["notes"]] == ["one", "two"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", made["created_at"])
    assert made["has_messaging_consent"] is True and made["folder"] == "open"
    listed = fresh_api.get("/contacts", search_query="Shape Test").json()["data"]
    assert listed == [made]
    fresh_api.ok(fresh_api.post("/_sandbox/inbound", {"phone": "+385912224444", "text": "hi"}))
    sent = fresh_api.ok(
        fresh_api.post("/conversations/messages/send", {"phone": "+385912224444", "text": "x"})
    )
    one = fresh_api.ok(fresh_api.get("/conversation", conversation_id=sent["id"]))
    assert one in fresh_api.get("/conversations", limit=100).json()["data"]
    assert one["last_message"]["status"] == sent["status"] == "sent"
    newest = fresh_api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"]
    assert newest[0]["id"] == sent["message_id"] and newest[0]["fail_reason"] is None
    assert isinstance(newest[0]["sent_at"], int)
