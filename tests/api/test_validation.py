"""Input validation: clear ValueErrors, raised before anything reaches the network."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from apitest_support import Recorder

from sendbee_tui.api import SendbeeClient, validate_phone
from sendbee_tui.api.validation import validate_field_definition


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+385911234567", "+385911234567"),
        ("+385 91 123 4567", "+385911234567"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("+12345678", "+12345678"),
        ("+123456789012345", "+123456789012345"),
    ],
)
def test_valid_phones(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("385911234567", "E.164"),
        ("00385911234567", "not 00"),
        ("+1234567", "E.164"),
        ("+1234567890123456", "E.164"),
        ("+0385911234567", "E.164"),
        ("+38591abc4567", "E.164"),
        ("", "required"),
        (None, "required"),
    ],
)
def test_invalid_phones_say_what_is_wrong(raw: Any, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        validate_phone(raw)


def test_field_definition_rules() -> None:
    assert validate_field_definition("list", ["S", "M"], creating=True) == ["S", "M"]
    assert validate_field_definition("text", None, creating=True) is None
    assert validate_field_definition(None, ["A"], creating=False) == ["A"]
    with pytest.raises(ValueError, match="options are required"):
        validate_field_definition("list", None, creating=True)
    with pytest.raises(ValueError, match="options are required"):
        validate_field_definition("list", [], creating=True)
    with pytest.raises(ValueError, match="only apply"):
        validate_field_definition("text", ["A"], creating=True)
    with pytest.raises(ValueError, match="type must be one of"):
        validate_field_definition("colour", None, creating=True)
    with pytest.raises(ValueError, match="type is required"):
        validate_field_definition(None, None, creating=True)
    with pytest.raises(ValueError, match="list of strings"):
        validate_field_definition("list", "S,M", creating=True)


Call = Callable[[SendbeeClient], Awaitable[Any]]

INVALID_CALLS: list[tuple[str, Call, str]] = [
    ("contacts.list status", lambda c: c.contacts.list(status="active"), "status must be one of"),
    ("contacts.list limit", lambda c: c.contacts.list(limit=101), "limit must be"),
    ("contacts.list page", lambda c: c.contacts.list(page=0), "page must be"),
    ("subscribe phone", lambda c: c.contacts.subscribe(phone="0911234567"), "E.164"),
    (
        "subscribe tags",
        lambda c: c.contacts.subscribe(phone="+385911234567", tags="vip"),
        "list of strings",
    ),
    ("update phone", lambda c: c.contacts.update(id="x", phone="12"), "E.164"),
    ("update id", lambda c: c.contacts.update(id=""), "id is required"),
    ("tags.create", lambda c: c.tags.create(name="  "), "name is required"),
    (
        "fields.create list",
        lambda c: c.fields.create(name="Size", type="list"),
        "options are required",
    ),
    (
        "fields.create type",
        lambda c: c.fields.create(name="X", type="float"),
        "type must be one of",
    ),
    (
        "conversations folder",
        lambda c: c.conversations.list(folder="archive"),
        "folder must be one of",
    ),
    ("conversations dates", lambda c: c.conversations.list(date_from=10, date_to=5), "date_from"),
    ("move folder", lambda c: c.conversations.move("conv", "spam"), "folder must be one of"),
    ("templates status", lambda c: c.templates.list(status="ok"), "status must be one of"),
    ("send nothing", lambda c: c.messages.send(phone="+385911234567"), "text or media_url"),
    (
        "send blank",
        lambda c: c.messages.send(phone="+385911234567", text="   "),
        "text or media_url",
    ),
    ("send no recipient", lambda c: c.messages.send(text="hi"), "recipient is required"),
    ("send bad phone", lambda c: c.messages.send(phone="+1", text="hi"), "E.164"),
    (
        "send bad media",
        lambda c: c.messages.send(phone="+385911234567", media_url="ftp://x"),
        "http",
    ),
    (
        "template keyword",
        lambda c: c.messages.send_template(phone="+385911234567", keyword="", language="en"),
        "keyword is required",
    ),
    (
        "template tags",
        lambda c: c.messages.send_template(
            phone="+385911234567", keyword="k", language="en", tags=["Ana"]
        ),
        "mapping",
    ),
    ("chatbot active", lambda c: c.chatbot.set("conv", "yes"), "True or False"),
    (
        "webhook event",
        lambda c: c.webhooks.subscribe("https://x.test/h", "message.deleted"),
        "event must be one of",
    ),
    ("webhook url", lambda c: c.webhooks.subscribe("x.test/h", "message.received"), "URL"),
]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [(c, f) for _, c, f in INVALID_CALLS],
    ids=[name for name, _, _ in INVALID_CALLS],
)
async def test_invalid_input_raises_before_any_request(
    recorder: Recorder, client: SendbeeClient, call: Call, fragment: str
) -> None:
    with pytest.raises(ValueError, match=fragment):
        result = call(client)
        # iterate() returns an async iterator; list() and friends a coroutine.
        await result
    assert recorder.requests == []


async def test_iterate_validates_eagerly(recorder: Recorder, client: SendbeeClient) -> None:
    with pytest.raises(ValueError, match="status must be one of"):
        client.contacts.iterate(status="nope")
    with pytest.raises(ValueError, match="limit must be"):
        client.tags.iterate(limit=500)
    with pytest.raises(ValueError, match="page must be"):
        client.conversations.iter_messages("conv", page=0)
    assert recorder.requests == []


async def test_iterate_requests_nothing_until_iterated(
    recorder: Recorder, client: SendbeeClient
) -> None:
    iterator = client.contacts.iterate()
    assert recorder.requests == []
    assert [c async for c in iterator] == []
    assert len(recorder.requests) == 1
