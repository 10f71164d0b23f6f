"""End to end: every resource of the client against the real sandbox server over
loopback (fixtures ``sandbox`` / ``fresh_sandbox`` from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timezone

import pytest
from apitest_support import FakeSleep

from sendbee_tui.api import (
    Acknowledgement,
    AuthenticationError,
    Contact,
    NotFoundError,
    PaginationError,
    RateLimitError,
    RetryEvent,
    SendbeeClient,
    ServerError,
    ValidationError,
)
from sendbee_tui.sandbox import SandboxServer

MakeClient = Callable[..., SendbeeClient]


@pytest.fixture
async def sb(sandbox: SandboxServer, fake_sleep: FakeSleep) -> AsyncIterator[SendbeeClient]:
    async with SendbeeClient(
        sandbox.api_key, sandbox.api_secret, base_url=sandbox.base_url, sleep=fake_sleep
    ) as client:
        yield client


@pytest.fixture
async def fresh(
    fresh_sandbox: SandboxServer, fake_sleep: FakeSleep
) -> AsyncIterator[SendbeeClient]:
    async with SendbeeClient(
        fresh_sandbox.api_key,
        fresh_sandbox.api_secret,
        base_url=fresh_sandbox.base_url,
        sleep=fake_sleep,
    ) as client:
        yield client


async def test_contacts_paginate_to_the_last_page(sb: SendbeeClient) -> None:
    page = await sb.contacts.list(limit=7)
    total = page.meta.total
    assert total and page.meta.last_page == -(-total // 7)
    seen: list[Contact] = list(page)
    pages = 1
    while page.has_next():
        page = await page.next_page()
        pages += 1
        seen.extend(page)
    assert pages == page.meta.last_page == page.meta.current_page
    assert len(seen) == total and len({c.id for c in seen}) == total
    with pytest.raises(PaginationError):
        await page.next_page()
    iterated = [c.id async for c in sb.contacts.iterate()]
    assert iterated == [c.id for c in seen]


async def test_contacts_models_are_fully_typed(sb: SendbeeClient) -> None:
    contacts = [c async for c in sb.contacts.iterate()]
    assert all(isinstance(c.created_at, datetime) and c.created_at.tzinfo for c in contacts)
    assert any(c.tags for c in contacts) and any(c.contact_fields for c in contacts)
    assert all(c.status in ("subscribed", "unsubscribed") for c in contacts)


async def test_contact_filters(sb: SendbeeClient) -> None:
    everyone = [c async for c in sb.contacts.iterate()]
    tagged = next(c for c in everyone if c.tags)
    tag = tagged.tags[0].name
    assert tag
    with_tag = [c async for c in sb.contacts.iterate(tags=[tag])]
    assert with_tag and all(tag in {t.name for t in c.tags} for c in with_tag)
    unsub = [c async for c in sb.contacts.iterate(status="unsubscribed")]
    assert all(c.status == "unsubscribed" for c in unsub)
    assert tagged.phone
    found = await sb.contacts.list(search_query=tagged.phone)
    assert tagged.id in {c.id for c in found}


async def test_subscribe_and_update_contact(
    fresh: SendbeeClient, fresh_sandbox: SandboxServer
) -> None:
    contact = await fresh.contacts.subscribe(
        phone="+385 99 000 1111",
        name="Test Person",
        tags=["vip", "brand-new-tag"],
        notes=["first"],
        contact_fields={"Company": "ACME", "No such field": "x"},
    )
    assert contact.phone == "+385990001111" and contact.name == "Test Person"
    assert {t.name for t in contact.tags} == {"vip", "brand-new-tag"}
    assert [n.value for n in contact.notes] == ["first"]
    assert {f.key: f.value for f in contact.contact_fields}.get("Company") == "ACME"
    updated = await fresh.contacts.update(
        id=contact.id, name="Renamed", notes=["second"], tags=["vip"]
    )
    assert updated.name == "Renamed"
    assert [n.value for n in updated.notes] == ["first", "second"]  # appended
    assert [t.name for t in updated.tags] == ["vip"]  # replaced (sandbox choice)
    tags = [t.name async for t in fresh.tags.iterate()]
    assert "brand-new-tag" in tags


async def test_tags_crud(fresh: SendbeeClient) -> None:
    tag = await fresh.tags.create("e2e-tag")
    assert tag.id and tag.name == "e2e-tag"
    assert (await fresh.tags.list(name="e2e-tag")).items[0].id == tag.id
    renamed = await fresh.tags.update(tag.id, "e2e-renamed")
    assert renamed.name == "e2e-renamed"
    ack = await fresh.tags.delete(tag.id)
    assert isinstance(ack, Acknowledgement) and ack.message
    assert tag.id not in {t.id async for t in fresh.tags.iterate()}


async def test_fields_crud(fresh: SendbeeClient) -> None:
    field = await fresh.fields.create("Shirt size", "list", ["S", "M", "L"])
    assert field.type == "list" and field.options == ("S", "M", "L")
    updated = await fresh.fields.update(field.id, name="Size", options=["S", "M"])
    assert updated.name == "Size" and updated.options == ("S", "M")
    listed = await fresh.fields.list(search_query="Size")
    assert field.id in {f.id for f in listed}
    await fresh.fields.delete(field.id)
    assert field.id not in {f.id async for f in fresh.fields.iterate()}


async def test_conversations_folders_get_and_messages(sb: SendbeeClient) -> None:
    page = await sb.conversations.list(limit=100)
    assert page.items and all(c.contact.id for c in page)
    for folder in ("open", "done", "spam", "notified"):
        in_folder = [c async for c in sb.conversations.iterate(folder=folder)]
        assert all(c.folder == folder for c in in_folder)
    conv = page.items[0]
    same = await sb.conversations.get(conv.id)
    assert same.id == conv.id and same.contact.phone == conv.contact.phone
    first = await sb.conversations.messages(conv.id)
    times = [m.sent_at for m in first]
    assert all(t is not None and t.tzinfo for t in times)
    assert times == sorted(times, reverse=True)  # newest first
    everything = [m async for m in sb.conversations.iter_messages(conv.id)]
    assert len(everything) == first.meta.total
    assert [m.id for m in everything[: len(first)]] == [m.id for m in first]
    stamps = [m.sent_at for m in everything]
    assert stamps == sorted(stamps, reverse=True)  # type: ignore[type-var]


async def test_conversation_date_filters(sb: SendbeeClient) -> None:
    future = datetime(2100, 1, 1, tzinfo=timezone.utc)
    page = await sb.conversations.list(date_from=future)
    assert page.items == []


async def test_move_and_chatbot(fresh: SendbeeClient) -> None:
    conv = (await fresh.conversations.list(folder="open")).items[0]
    moved = await fresh.conversations.move(conv.id, "done")
    assert moved.folder == "done"
    assert (await fresh.conversations.get(conv.id)).folder == "done"
    await fresh.chatbot.set(conv.id, True)
    assert (await fresh.chatbot.status(conv.id)).chatbot_active is True
    await fresh.chatbot.set(conv.id, False)
    status = await fresh.chatbot.status(conv.id)
    assert status.chatbot_active is False and status.conversation_id == conv.id


async def test_templates(sb: SendbeeClient) -> None:
    approved = [t async for t in sb.templates.iterate(status="approved")]
    assert approved and all(t.status == "approved" for t in approved)
    everything = [t async for t in sb.templates.iterate()]
    assert {t.status for t in everything} >= {"approved"}
    assert all(t.keyword and t.language for t in everything)


async def test_send_message_and_template(
    fresh: SendbeeClient, fresh_sandbox: SandboxServer
) -> None:
    phone = "+385990002222"
    await fresh.contacts.subscribe(phone=phone, name="Window")
    # No inbound message yet: outside the 24-hour window.
    with pytest.raises(ValidationError) as info:
        await fresh.messages.send(phone=phone, text="too early")
    assert info.value.type == "outside_customer_care_window"
    fresh_sandbox.inbound(phone, "Hi, I have a question")
    sent = await fresh.messages.send(phone=phone, text="Happy to help")
    assert sent.conversation_id and sent.message_id
    newest = (await fresh.conversations.messages(sent.conversation_id)).items[0]
    assert newest.body == "Happy to help" and newest.direction == "outbound"
    plain = [t async for t in fresh.templates.iterate(status="approved") if t.attachment is None]
    template = plain[0]
    values = {tag.name: f"v{tag.name}" for tag in template.tags if tag.name}
    sent_t = await fresh.messages.send_template(
        phone=phone,
        keyword=template.keyword or "",
        language=template.language or "en",
        tags=values,
    )
    assert sent_t.conversation_id == sent.conversation_id


async def test_teams_and_members(sb: SendbeeClient) -> None:
    teams = await sb.teams.list()
    assert teams.items and all(t.members for t in teams)
    members = await sb.teams.members()
    member = members.items[0]
    assert member.teams
    mine = await sb.teams.list(member_id=member.id)
    assert {t.id for t in mine} == {t.id for t in member.teams}
    in_team = await sb.teams.members(team_id=teams.items[0].id)
    assert {m.id for m in in_team} == {m.id for m in teams.items[0].members}
    assert [t.id async for t in sb.teams.iterate()] == [t.id for t in teams]
    assert [m.id async for m in sb.teams.iter_members()] == [m.id for m in members]


async def test_webhook_subscribe(fresh: SendbeeClient) -> None:
    hook = await fresh.webhooks.subscribe("https://example.test/hook", "message.received")
    assert hook.active and hook.selected_webhooks == ("message.received",)
    again = await fresh.webhooks.subscribe("https://example.test/hook", "message.sent")
    assert set(again.selected_webhooks) == {"message.received", "message.sent"}
    assert hook.secret_key and hook.secret_key not in repr(hook)
    # The server's own check of an unknown event (bypassing client-side validation).
    with pytest.raises(ValidationError):
        await fresh.transport.request(
            "POST", "/webhooks/subscribe", json={"url": "https://example.test/h", "event": "nope"}
        )


async def test_rate_limit_endpoints(sb: SendbeeClient) -> None:
    status = await sb.rate_limit.request_test()
    assert status.detail
    with pytest.raises(RateLimitError) as info:
        await sb.rate_limit.error_test()
    assert info.value.retry_after is not None and info.value.retry_after >= 0


async def test_rate_limited_server_retries_honour_retry_after(
    fresh_sandbox: SandboxServer, fake_sleep: FakeSleep
) -> None:
    fresh_sandbox.set_faults(rate_limit_per_minute=1)
    events: list[RetryEvent] = []
    async with SendbeeClient(
        fresh_sandbox.api_key,
        fresh_sandbox.api_secret,
        base_url=fresh_sandbox.base_url,
        sleep=fake_sleep,
        on_retry=events.append,
        max_retries=2,
    ) as client:
        await client.tags.list()
        with pytest.raises(RateLimitError) as info:
            await client.tags.list()
        assert info.value.retry_after is not None
        # Either waited exactly what the server said, or refused a wait above the cap.
        assert all(e.delay_seconds == info.value.retry_after for e in events)
        assert fake_sleep.delays == [e.delay_seconds for e in events]
        events.clear()
        with pytest.raises(RateLimitError):
            await client.messages.send(phone="+385990003333", text="never retried")
        assert events == []


async def test_injected_server_errors(fresh_sandbox: SandboxServer, fake_sleep: FakeSleep) -> None:
    fresh_sandbox.set_faults(error_rate=1.0)
    async with SendbeeClient(
        fresh_sandbox.api_key,
        fresh_sandbox.api_secret,
        base_url=fresh_sandbox.base_url,
        sleep=fake_sleep,
    ) as client:
        with pytest.raises(ServerError) as info:
            await client.contacts.list()
    assert info.value.status >= 500 and info.value.detail


async def test_wrong_credentials(sandbox: SandboxServer) -> None:
    async with SendbeeClient(sandbox.api_key, "wrong-secret", base_url=sandbox.base_url) as c:
        with pytest.raises(AuthenticationError):
            await c.contacts.list()
    async with SendbeeClient("wrong-key", sandbox.api_secret, base_url=sandbox.base_url) as c:
        with pytest.raises(AuthenticationError):
            await c.contacts.list()


async def test_not_found_paths_and_ids(sb: SendbeeClient) -> None:
    with pytest.raises(NotFoundError):
        await sb.transport.request("GET", "/no/such/endpoint")
    with pytest.raises((NotFoundError, ValidationError)) as info:
        await sb.conversations.get("00000000-0000-0000-0000-000000000000")
    assert info.value.detail


async def test_official_client_reads_what_we_read(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both clients see the same first page (same server, same parameters)."""
    import asyncio

    from sendbee_api import SendbeeApi

    monkeypatch.setattr(SendbeeApi, "protocol", "http")
    monkeypatch.setattr(SendbeeApi, "base_url", sandbox.base_url.split("://", 1)[1])
    official = SendbeeApi(sandbox.api_key, sandbox.api_secret)
    theirs = await asyncio.to_thread(lambda: [c.id for c in official.contacts(page=2, limit=5)])
    async with SendbeeClient(
        sandbox.api_key, sandbox.api_secret, base_url=sandbox.base_url
    ) as client:
        ours = [c.id for c in await client.contacts.list(page=2, limit=5)]
    assert ours == theirs and len(ours) == 5
