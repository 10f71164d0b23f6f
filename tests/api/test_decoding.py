"""The two model builders agree, and odd or hostile bodies never escape as non-Sendbee errors.

``_decoding`` fills models with msgspec when the JSON has the expected shape and
falls back to the tolerant reader otherwise; the fast path is only allowed to be
faster, never different. These tests feed both the same odd values, field by field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sendbee_tui.api import (
    APIError,
    Contact,
    Conversation,
    Message,
    SendbeeClient,
    SendbeeError,
    ValidationError,
    models,
)
from sendbee_tui.api._decoding import _plan, _tolerant, build, build_many
from sendbee_tui.api.transport import ApiResponse
from sendbee_tui.api.wire import error_details, parse_json

MODELS = [
    getattr(models, name)
    for name in models.__all__
    if name != "Model" and dataclasses.is_dataclass(getattr(models, name))
]

# Values a server might send in any field: each goes through both paths.
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    2,
    -1,
    1.0,
    0.0,
    1.5,
    10**20,
    1_700_000_000,
    1_700_000_000.5,
    120_000_000_000,
    1_700_000_000_000,
    -5,
    "",
    " ",
    "1",
    "0",
    "7",
    " 7 ",
    "1.5",
    "1e3",
    "true",
    "True",
    "TRUE",
    "false",
    "yes",
    "no",
    "on",
    "abc",
    "a,b",
    "1700000000",
    "2023-11-14 22:13:20",
    "2023-11-14T22:13:20",
    "2023-11-14T22:13:20Z",
    "2023-11-14t22:13:20z",
    "2023-11-14T22:13:20+02:00",
    "2023-11-14 22:13:20.1234567",
    "2023-11-14T22:13:20.123456789Z",
    "2023-11-14",
    "2023-11-14T22:13+02",
    [],
    {},
    ["a", None],
    ["a", 1],
    ["vip"],
    [{"id": 1, "name": "x"}],
    [{"name": "n"}],
    {"id": "x", "name": "y"},
    [{}],
    [None],
    [1, 2],
]


def _fields(obj: Any) -> dict[str, Any]:
    """Every field including ``raw`` (which equality ignores), nested models too."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            value = _fields(value)
        elif isinstance(value, tuple):
            value = tuple(_fields(v) if dataclasses.is_dataclass(v) else v for v in value)
        out[f.name] = value
    return out


def _keys(cls: type) -> list[str]:
    return [key for f in _plan(cls).fields for key in f.keys]


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_fast_path_equals_tolerant_path_for_every_odd_value(cls: type) -> None:
    checked = 0
    for key in _keys(cls):
        for value in ODD_VALUES:
            data = {key: value, "unknown": [1]}
            fast = build(cls, data)
            slow = _tolerant(cls, _plan(cls), data)
            assert _fields(fast) == _fields(slow), (cls.__name__, key, value)
            assert fast.raw is data  # type: ignore[attr-defined]
            checked += 1
    assert checked >= len(ODD_VALUES)


def test_fast_path_is_taken_for_the_contract_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    # If the fast path silently failed for normal data, everything would still pass
    # but slowly: make the fallback unreachable and build realistic objects.
    def no_fallback(*args: Any) -> Any:
        raise AssertionError(f"fell back to the tolerant path for {args[0].__name__}")

    monkeypatch.setattr("sendbee_tui.api._decoding._tolerant", no_fallback)
    contact = build(
        Contact,
        {
            "id": "c1",
            "name": "Ana",
            "created_at": "2024-03-05 09:15:00",
            "has_messaging_consent": True,
            "tags": [{"id": "t", "name": "vip"}],
            "notes": [{"id": "n", "value": "hi"}],
            "contact_fields": [{"key": "City", "value": 3}],
        },
    )
    assert contact.created_at is not None and contact.created_at.tzinfo is not None
    assert contact.tags[0].raw == {"id": "t", "name": "vip"}
    assert contact.contact_fields[0].raw == {"key": "City", "value": 3}
    conv = build(
        Conversation,
        {
            "id": "v",
            "chatbot_active": False,
            "created_at": "2024-01-01 00:00:00",
            "contact": {
                "id": "c",
                "name": "A",
                "phone": "+385911234567",
                "whatsapp_user_id": "HR.1",
            },
            "last_message": {
                "direction": "inbound",
                "inbound_sent_at": "2024-01-02 08:00:00",
                "outbound_sent_at": None,
            },
        },
    )
    assert conv.contact.whatsapp_user_id == "HR.1" and conv.contact.raw["name"] == "A"
    assert conv.last_message.raw["direction"] == "inbound"
    messages = build_many(Message, [{"id": str(i), "sent_at": 1_700_000_000 + i} for i in range(3)])
    assert [m.sent_at.timestamp() for m in messages if m.sent_at] == [
        1_700_000_000,
        1_700_000_001,
        1_700_000_002,
    ]


def test_one_odd_object_does_not_change_its_neighbours() -> None:
    items = [
        {"id": "a", "tags": [{"name": "x"}]},
        {"id": 7, "tags": ["bare"]},
        "junk",
        {"id": "c", "created_at": 1_700_000_000_000},
    ]
    contacts = build_many(Contact, items)
    assert [c.id for c in contacts] == ["a", "7", "c"]
    assert contacts[1].tags[0].name == "bare" and contacts[0].tags[0].name == "x"
    assert contacts[2].created_at is not None and contacts[2].created_at.year == 2023
    assert [c.raw for c in contacts] == [items[0], items[1], items[3]]


def _deep(depth: int) -> bytes:
    return ('{"data": ' + "[" * depth + "]" * depth + "}").encode()


def test_parse_json_turns_deep_nesting_and_garbage_into_value_errors() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_json(_deep(5000))
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_json(b"{nope")
    assert parse_json(b"  ") == {}
    assert parse_json(b'{"a": NaN}')["a"] != 0  # what Python's json reads, we read too
    assert parse_json('{"a": "é"}'.encode("utf-16")) == {"a": "é"}


Call = Callable[[SendbeeClient], Any]


async def _drain(result: Any) -> Any:
    if hasattr(result, "__aiter__"):
        return [item async for item in result]
    return await result


EVERY_CALL: list[tuple[str, Call]] = [
    ("contacts.list", lambda c: c.contacts.list()),
    ("contacts.iterate", lambda c: c.contacts.iterate()),
    ("contacts.list_all", lambda c: c.contacts.list_all()),
    ("contacts.list_pages", lambda c: c.contacts.list_pages()),
    ("contacts.subscribe", lambda c: c.contacts.subscribe(phone="+385911234567")),
    ("contacts.update", lambda c: c.contacts.update(id="c1", name="A")),
    ("tags.list_all", lambda c: c.tags.list_all()),
    ("tags.create", lambda c: c.tags.create("vip")),
    ("tags.delete", lambda c: c.tags.delete("t1")),
    ("fields.list", lambda c: c.fields.list()),
    ("fields.update", lambda c: c.fields.update("f1", name="X")),
    ("conversations.list_all", lambda c: c.conversations.list_all()),
    ("conversations.get", lambda c: c.conversations.get("v1")),
    ("conversations.move", lambda c: c.conversations.move("v1", "done")),
    ("conversations.messages", lambda c: c.conversations.messages("v1")),
    ("conversations.messages_all", lambda c: c.conversations.messages_all("v1")),
    ("templates.iterate", lambda c: c.templates.iterate()),
    ("messages.send", lambda c: c.messages.send(phone="+385911234567", text="hi")),
    (
        "messages.send_template",
        lambda c: c.messages.send_template(
            phone="+385911234567", keyword="k", language="en", tags={"name": "Ana"}
        ),
    ),
    ("teams.list", lambda c: c.teams.list()),
    ("teams.members_all", lambda c: c.teams.members_all()),
    ("chatbot.set", lambda c: c.chatbot.set("v1", True)),
    ("chatbot.status", lambda c: c.chatbot.status("v1")),
    ("webhooks.subscribe", lambda c: c.webhooks.subscribe("https://x.test/h", "message.received")),
    ("rate_limit.request_test", lambda c: c.rate_limit.request_test()),
]


@pytest.mark.parametrize("status", [200, 400])
@pytest.mark.parametrize(("name", "call"), EVERY_CALL, ids=[n for n, _ in EVERY_CALL])
async def test_a_5000_deep_body_is_a_sendbee_error_from_every_method(
    make_client: Callable[..., SendbeeClient], name: str, call: Call, status: int
) -> None:
    # A real server cannot be made to send this; a mock transport is the fault.
    body = _deep(5000)
    client = make_client(
        transport=httpx.MockTransport(lambda request: httpx.Response(status, content=body)),
        max_retries=0,
    )
    with pytest.raises(SendbeeError) as caught:
        await _drain(call(client))
    if status == 200:
        assert isinstance(caught.value, APIError)
        assert caught.value.type == "invalid_response"
        assert "nested too deeply" in caught.value.detail
    else:
        assert isinstance(caught.value, ValidationError)  # status kept, body ignored


def test_deep_warning_and_error_detail_are_shown_without_recursing() -> None:
    # Built in Python: deeper than str() can walk, as a decoded body could be.
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    response = httpx.Response(400, request=httpx.Request("GET", "http://x.test/"))
    assert "too deeply" in (ApiResponse({"warning": deep}, response).warning or "")
    detail, kind = error_details({"error": {"detail": deep, "type": deep}}, response)
    assert "too deeply" in detail and kind is not None and "too deeply" in kind
