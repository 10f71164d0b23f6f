"""Model parsing: realistic payloads, tolerance, and every timestamp shape."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from sendbee_tui.api import (
    Acknowledgement,
    ChatbotStatus,
    Contact,
    ContactField,
    Conversation,
    Member,
    Message,
    SentMessage,
    Team,
    Template,
    Webhook,
)
from sendbee_tui.api._coerce import as_bool, as_int, parse_timestamp
from sendbee_tui.api.template_placeholders import template_placeholders

UTC = timezone.utc

CONTACT = {
    "id": "0f6a3b1e-8c1d-4d5e-9a51-6f1c2d3e4f50",
    "name": "Ana Horvat",
    "phone": "+385911234567",
    "whatsapp_user_id": "HR.1234567890",
    "status": "subscribed",
    "folder": "open",
    "created_at": "2024-03-05 09:15:00",
    "modified_at": "2024-03-06T10:00:00Z",
    "has_messaging_consent": True,
    "tags": [{"id": "t1", "name": "vip"}, {"id": "t2", "name": "new"}],
    "notes": [{"id": "n1", "value": "Prefers mornings"}],
    "contact_fields": [{"key": "City", "value": "Zagreb"}, {"key": "Age", "value": 31}],
    "brand_new_field": {"nested": True},
}


def test_contact_realistic() -> None:
    c = Contact.from_dict(CONTACT)
    assert c.id == CONTACT["id"]
    assert c.created_at == datetime(2024, 3, 5, 9, 15, tzinfo=UTC)
    assert c.modified_at == datetime(2024, 3, 6, 10, 0, tzinfo=UTC)
    assert c.has_messaging_consent is True
    assert [t.name for t in c.tags] == ["vip", "new"]
    assert c.notes[0].value == "Prefers mornings"
    assert {f.key: f.value for f in c.contact_fields} == {"City": "Zagreb", "Age": 31}
    assert isinstance(c.tags, tuple)
    assert c.raw["brand_new_field"] == {"nested": True}


def test_models_are_frozen_slotted_and_raw_not_in_repr() -> None:
    c = Contact.from_dict(CONTACT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.name = "x"  # type: ignore[misc]
    assert not hasattr(c, "__dict__")
    assert "brand_new_field" not in repr(c)
    # raw does not take part in equality: same fields, different raw.
    assert c == dataclasses.replace(c, raw={})


@pytest.mark.parametrize("payload", [{}, None, [], "junk", 42, {"tags": None, "notes": None}])
def test_contact_tolerates_missing_and_null(payload: object) -> None:
    c = Contact.from_dict(payload)
    assert c.id is None
    assert c.tags == () and c.notes == () and c.contact_fields == ()
    assert c.created_at is None


def test_contact_tolerates_odd_shapes() -> None:
    c = Contact.from_dict(
        {
            "id": 123,
            "tags": ["vip", {"id": 5, "name": "x"}, None, 7],
            "notes": "not a list",
            "contact_fields": {"City": "Split"},
            "has_messaging_consent": "0",
            "created_at": "garbage",
        }
    )
    assert c.id == "123"
    assert [(t.id, t.name) for t in c.tags] == [(None, "vip"), ("5", "x")]
    assert c.notes == ()
    assert c.contact_fields[0].key == "City" and c.contact_fields[0].value == "Split"
    assert c.has_messaging_consent is False
    assert c.created_at is None


def test_conversation_with_null_last_message_timestamps() -> None:
    conv = Conversation.from_dict(
        {
            "id": "conv1",
            "folder": "open",
            "chatbot_active": 1,
            "platform": "whatsapp",
            "created_at": "2024-01-01 00:00:00",
            "contact": {"id": "c1", "name": "Ana", "phone": "+385911234567"},
            "last_message": {
                "direction": "inbound",
                "status": "received",
                "inbound_sent_at": "2024-01-02 08:00:00",
                "outbound_sent_at": None,
            },
        }
    )
    assert conv.chatbot_active is True
    assert conv.contact.phone == "+385911234567"
    assert conv.last_message.inbound_sent_at == datetime(2024, 1, 2, 8, tzinfo=UTC)
    assert conv.last_message.outbound_sent_at is None


def test_conversation_missing_nested_objects_get_empty_defaults() -> None:
    conv = Conversation.from_dict({"id": "x", "contact": None})
    assert conv.contact.id is None
    assert conv.last_message.direction is None


def test_message_sent_at_number_and_unknown_types() -> None:
    m = Message.from_dict(
        {
            "id": "m1",
            "body": "Hello",
            "media_type": "sticker",
            "media_url": None,
            "status": "read",
            "direction": "bot",
            "sent_at": 1_700_000_000,
            "fail_reason": None,
            "from_user_id": "u1",
            "to_user_id": "u2",
        }
    )
    assert m.sent_at == datetime.fromtimestamp(1_700_000_000, UTC)
    assert m.media_type == "sticker" and m.direction == "bot"


def test_template_with_buttons_and_tags() -> None:
    t = Template.from_dict(
        {
            "id": "tp1",
            "keyword": "welcome",
            "name": "Welcome",
            "category": "MARKETING",
            "language": "en",
            "status": "approved",
            "text": "Hi {{1}}, your code is {{2}}",
            "tags": [{"name": "1"}, {"name": "2"}],
            "buttons": [
                {"index": 0, "type": "url", "title": "Open", "value": "https://x.test/{{1}}"},
                {"index": "1", "type": "quick_reply", "title": "Stop", "value": None},
            ],
            "button_tags": [{"name": "1"}],
            "attachment": None,
            "rejected_reason": None,
        }
    )
    assert [tag.name for tag in t.tags] == ["1", "2"]
    assert [b.index for b in t.buttons] == [0, 1]
    assert t.button_tags[0].name == "1"
    assert t.attachment is None


def test_template_tags_as_plain_strings() -> None:
    t = Template.from_dict({"tags": ["1", 2], "buttons": None, "button_tags": None})
    assert [tag.name for tag in t.tags] == ["1", "2"]
    assert t.buttons == () and t.button_tags == ()


def test_sent_message_conversation_id() -> None:
    s = SentMessage.from_dict(
        {"id": "conv9", "message_id": "m9", "message_reference_id": "ref", "status": "sent"}
    )
    assert s.conversation_id == "conv9"
    assert SentMessage.from_dict({"conversation_id": "c"}).conversation_id == "c"


def test_teams_members_chatbot_ack_field() -> None:
    team = Team.from_dict(
        {
            "id": "t",
            "name": "Support",
            "members": [
                {"id": "m", "name": "Ivo", "role": "agent", "online": "1", "available": False}
            ],
        }
    )
    assert team.members[0].online is True and team.members[0].available is False
    member = Member.from_dict({"id": "m", "teams": [{"id": "t", "name": "Support"}]})
    assert member.teams[0].name == "Support"
    assert (
        ChatbotStatus.from_dict({"conversation_id": "c", "chatbot_active": False}).chatbot_active
        is False
    )
    assert Acknowledgement.from_dict({"message": "Tag deleted"}).message == "Tag deleted"
    field = ContactField.from_dict(
        {"id": "f", "name": "Size", "type": "list", "options": ["S", "M", None]}
    )
    assert field.options == ("S", "M")


def test_webhook_secret_not_in_repr() -> None:
    hook = Webhook.from_dict(
        {
            "id": "w1",
            "url": "https://example.test/hook",
            "active": True,
            "selected_webhooks": ["message.received"],
            "secret_key": "whsec-very-secret-value",
            "created_at": 1_700_000_000,
        }
    )
    assert hook.secret_key == "whsec-very-secret-value"
    assert "whsec-very-secret-value" not in repr(hook)
    assert hook.selected_webhooks == ("message.received",)


EPOCH = datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)  # 1_700_000_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_700_000_000, EPOCH),
        (1_700_000_000.0, EPOCH),
        (1_700_000_000_000, EPOCH),  # milliseconds
        ("1700000000", EPOCH),
        (" 1700000000.0 ", EPOCH),
        ("2023-11-14 22:13:20", EPOCH),
        ("2023-11-14T22:13:20", EPOCH),
        ("2023-11-14T22:13:20Z", EPOCH),
        ("2023-11-14T22:13:20+00:00", EPOCH),
        ("2023-11-15T00:13:20+02:00", EPOCH),
        ("2023-11-14T22:13:20.000000Z", EPOCH),
        ("2023-11-14T22:13:20.123456789Z", EPOCH.replace(microsecond=123456)),
        ("2023-11-14", datetime(2023, 11, 14, tzinfo=UTC)),
        (datetime(2023, 11, 14, 22, 13, 20), EPOCH),
    ],
)
def test_parse_timestamp_shapes(value: object, expected: datetime) -> None:
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed.utcoffset() is not None


def test_parse_timestamp_keeps_offset_information() -> None:
    parsed = parse_timestamp("2023-11-15T00:13:20+02:00")
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "yesterday",
        "2023-13-45 99:99:99",
        True,
        [],
        {},
        float("nan"),
        float("inf"),
        10**30,
        "1e400",
    ],
)
def test_parse_timestamp_garbage_is_none(value: object) -> None:
    assert parse_timestamp(value) is None


def test_coercions() -> None:
    assert as_int("7") == 7 and as_int("x") is None and as_int(True) is None
    assert as_bool("true") is True and as_bool("no") is False and as_bool("maybe") is None


def test_template_reject_reason_is_read_under_either_name() -> None:
    # The contract says rejected_reason; the PHP client reads reject_reason.
    assert Template.from_dict({"reject_reason": "Too vague"}).rejected_reason == "Too vague"
    assert Template.from_dict({"rejected_reason": "A", "reject_reason": "B"}).rejected_reason == "A"
    assert Template.from_dict({"status": "approved"}).rejected_reason is None


def test_note_text_is_read_from_note_too() -> None:
    assert (
        Contact.from_dict({"notes": [{"id": "n", "note": "Call first"}]}).notes[0].value
        == "Call first"
    )


def test_conversation_contact_has_whatsapp_user_id() -> None:
    conv = Conversation.from_dict({"id": "v", "contact": {"id": "c", "whatsapp_user_id": "HR.9"}})
    assert conv.contact.whatsapp_user_id == "HR.9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi {{1}}, your code is {{2}}", ("1", "2")),
        ("Welcome {name}!", ("name",)),
        ("{{1}} and {first_name} and {{ 2 }} and {{1}} again", ("1", "first_name", "2")),
        ("{{order_no}} ships {when}", ("order_no", "when")),
        ("no placeholders, {} {1} { name } {{}}", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_template_placeholders_of_both_kinds(text: str | None, expected: tuple[str, ...]) -> None:
    assert template_placeholders(text) == expected
    assert Template(text=text).placeholders == expected


def test_nested_models_keep_their_raw_json() -> None:
    c = Contact.from_dict(CONTACT)
    assert c.raw is CONTACT
    assert c.tags[0].raw == {"id": "t1", "name": "vip"}
    assert c.notes[0].raw == {"id": "n1", "value": "Prefers mornings"}
    assert c.contact_fields[1].raw == {"key": "Age", "value": 31}
