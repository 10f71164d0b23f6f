"""Named template placeholders (``{name}``) and contacts named by ``whatsapp_user_id``."""

from __future__ import annotations

import pytest
from sandbox_support import Api, error

from sendbee_tui.sandbox import SandboxServer

SEND = "/conversations/messages/templates/send"


def templates(api: Api) -> dict[tuple[str, str], dict]:
    data = api.get("/conversations/messages/templates", limit=100).json()["data"]
    return {(t["keyword"], t["language"]): t for t in data}


def test_templates_list_named_placeholders_as_tags(api: Api) -> None:
    by_key = templates(api)
    loyalty = by_key[("loyalty_card", "en")]
    assert loyalty["status"] == "approved" and "{name}" in loyalty["text"]
    assert loyalty["tags"] == [{"name": "name"}, {"name": "card_number"}]
    assert by_key[("loyalty_card", "de")]["tags"] == [{"name": "name"}, {"name": "card_number"}]
    slot = by_key[("delivery_slot", "en")]
    assert [t["name"] for t in slot["tags"]] == ["name", "day", "from_time", "to_time"]
    assert slot["button_tags"] == [{"name": "booking"}]
    # The numbered ones are as they were.
    assert by_key[("welcome", "en")]["tags"] == [{"name": "1"}, {"name": "2"}]


def test_named_template_is_filled(fresh_api: Api) -> None:
    sent = fresh_api.ok(
        fresh_api.post(
            SEND,
            {
                "phone": "+15550004321",
                "template_keyword": "loyalty_card",
                "language": "en",
                # Keys with or without their braces, as numbered keys may come as "{{1}}".
                "tags": {"name": "Ana", "{card_number}": "LC-7"},
            },
        )
    )
    msgs = fresh_api.get("/conversations/messages", conversation_id=sent["id"]).json()["data"]
    assert msgs[0]["body"] == "Welcome Ana! Your loyalty card LC-7 is ready: show it at the till."
    slot = fresh_api.ok(
        fresh_api.post(
            SEND,
            {
                "phone": "+15550004321",
                "template_keyword": "delivery_slot",
                "language": "en",
                "tags": {"name": "Ana", "day": "Friday", "from_time": "9:00", "to_time": "11:00"},
                "button_tags": {"booking": "B-12"},
            },
        )
    )
    msgs = fresh_api.get("/conversations/messages", conversation_id=slot["id"]).json()["data"]
    assert msgs[0]["body"] == "Hi Ana, your delivery is booked for Friday between 9:00 and 11:00."


@pytest.mark.parametrize(
    ("body", "type_", "needle"),
    [
        (
            {"template_keyword": "loyalty_card", "language": "en", "tags": {"name": "Ana"}},
            "missing_template_tags",
            "{card_number}",
        ),
        (  # blank counts as missing, exactly as for {{1}}
            {
                "template_keyword": "loyalty_card",
                "language": "de",
                "tags": {"name": " ", "card_number": "7"},
            },
            "missing_template_tags",
            "{name}",
        ),
        (  # numbers do not fill names
            {"template_keyword": "loyalty_card", "language": "en", "tags": ["Ana", "LC-7"]},
            "missing_template_tags",
            "{name}, {card_number}",
        ),
        (
            {
                "template_keyword": "delivery_slot",
                "language": "en",
                "tags": {"name": "A", "day": "B", "from_time": "C", "to_time": "D"},
            },
            "missing_button_tags",
            "{booking}",
        ),
    ],
)
def test_named_placeholders_follow_the_numbered_rules(
    sandbox: SandboxServer, body: dict, type_: str, needle: str
) -> None:
    api = Api(sandbox)
    err = error(api.post(SEND, {"phone": "+15550004322", **body}), 422)
    assert err["type"] == type_ and needle in err["detail"]
    assert api.get("/contacts", search_query="15550004322").json()["data"] == []
    api.close()


def _demo_contact(api: Api) -> dict:
    return api.get("/contacts", limit=1).json()["data"][0]


def test_subscribe_by_whatsapp_user_id(fresh_api: Api) -> None:
    contact = _demo_contact(fresh_api)
    again = fresh_api.ok(
        fresh_api.post(
            "/contacts/subscribe",
            {"whatsapp_user_id": contact["whatsapp_user_id"], "notes": ["by BSUID"], "name": "N"},
        )
    )
    assert again["id"] == contact["id"] and again["status"] == "subscribed"
    assert again["name"] == "N" and again["notes"][-1]["value"] == "by BSUID"
    unknown = error(
        fresh_api.post("/contacts/subscribe", {"whatsapp_user_id": "ZZ.404", "name": "x"}), 404
    )
    assert "ZZ.404" in unknown["detail"] and unknown["type"] == "not_found"
    # With both, the phone decides (WhatsApp gives it precedence).
    both = fresh_api.ok(
        fresh_api.post(
            "/contacts/subscribe",
            {"phone": "+15550007654", "whatsapp_user_id": contact["whatsapp_user_id"]},
        )
    )
    assert both["id"] != contact["id"] and both["phone"] == "+15550007654"


def test_update_by_whatsapp_user_id_with_block_notifications(fresh_api: Api) -> None:
    contact = _demo_contact(fresh_api)
    wa = contact["whatsapp_user_id"]
    updated = fresh_api.ok(
        fresh_api.put(
            "/contacts",
            {"whatsapp_user_id": wa, "name": "Renamed via BSUID", "block_notifications": True},
        )
    )
    assert updated["id"] == contact["id"] and updated["name"] == "Renamed via BSUID"
    assert updated["whatsapp_user_id"] == wa
    same = fresh_api.ok(
        fresh_api.put(
            "/contacts", {"id": contact["id"], "whatsapp_user_id": wa, "block_notifications": 0}
        )
    )
    assert same["id"] == contact["id"]
    other = fresh_api.get("/contacts", limit=2).json()["data"][1]
    conflict = error(
        fresh_api.put(
            "/contacts", {"id": contact["id"], "whatsapp_user_id": other["whatsapp_user_id"]}
        ),
        400,
    )
    assert conflict["type"] == "conflicting_parameters"
    assert error(fresh_api.put("/contacts", {"name": "who?"}), 400)["type"] == "missing_parameter"
    assert error(fresh_api.put("/contacts", {"whatsapp_user_id": "ZZ.404"}), 404)["type"] == (
        "not_found"
    )
    bad = error(
        fresh_api.put("/contacts", {"id": contact["id"], "block_notifications": "maybe"}), 400
    )
    assert "block_notifications" in bad["detail"]
