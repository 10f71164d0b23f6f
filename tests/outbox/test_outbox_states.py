"""Each outbox state transition, against the real sandbox (faults only where it has none)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from outbox_support import FaultTransport, Recorder, Script, fast_outbox, outbound_bodies

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import NOT_SEEN, Kind, OutboxStateError, Payload, State, fill_template
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore

Conversation = Callable[[], tuple[str, str]]


async def test_a_reply_goes_queued_sending_sent(
    client: SendbeeClient, reader: SendbeeClient, store: LocalStore, open_conversation: Conversation
) -> None:
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    entry = outbox.enqueue_text(phone, "Your order ships today", conversation_id=conversation_id)
    assert entry.state is State.QUEUED
    assert store.outbox_table("acct").get(entry.id) is not None  # on disk before it leaves
    async with outbox:
        await outbox.wait_idle()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT and done.attempts == 1
    assert recorder.states(entry.id) == ["queued", "sending", "sent"]
    page = await reader.conversations.messages(conversation_id)
    assert page.items[0].id == done.server_message_id
    assert await outbound_bodies(reader, conversation_id) == ["Your order ships today"]


async def test_a_4xx_fails_and_retry_sends_once_the_window_is_open(
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    server: object,
    new_phone: Callable[[], str],
) -> None:
    phone = new_phone()  # never wrote in: no 24-hour window
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        entry = outbox.enqueue_text(phone, "Hi there")
        await outbox.wait_idle()
        failed = outbox.get(entry.id)
        assert failed is not None and failed.state is State.FAILED
        assert failed.error is not None and "HTTP 400" in failed.error
        assert failed.text == "Hi there"  # kept for the agent
        result = server.inbound(phone, "hello")  # type: ignore[attr-defined]
        outbox.retry(entry.id)
        await outbox.wait_idle()
    sent = outbox.get(entry.id)
    assert sent is not None and sent.state is State.SENT and sent.attempts == 2
    assert recorder.states(entry.id) == ["queued", "sending", "failed", "queued", "sending", "sent"]
    assert await outbound_bodies(reader, result["conversation_id"]) == ["Hi there"]


@pytest.mark.parametrize("fault", ["timeout", "disconnect", "500_after"])
async def test_lost_answer_is_found_on_the_server_not_sent_again(
    fault: str,
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    faults.plan = Script(fault)
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        entry = outbox.enqueue_text(phone, "Refund approved", conversation_id=conversation_id)
        await outbox.wait_idle()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT and done.attempts == 1
    assert recorder.states(entry.id) == ["queued", "sending", "checking", "sent"]
    assert faults.sends == 1
    assert await outbound_bodies(reader, conversation_id) == ["Refund approved"]
    page = await reader.conversations.messages(conversation_id)
    assert done.server_message_id == page.items[0].id


async def test_a_5xx_that_stored_nothing_ends_unconfirmed_and_is_resent_only_on_confirm(
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    faults.plan = Script("503")
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        entry = outbox.enqueue_text(phone, "See you at 5", conversation_id=conversation_id)
        await outbox.wait_idle()
        unconfirmed = outbox.get(entry.id)
        assert unconfirmed is not None and unconfirmed.state is State.UNCONFIRMED
        assert unconfirmed.error == NOT_SEEN and unconfirmed.text == "See you at 5"
        assert faults.sends == 1  # never resent by itself
        with pytest.raises(OutboxStateError):
            outbox.resend_unconfirmed(entry.id)
        with pytest.raises(OutboxStateError):
            outbox.retry(entry.id)  # retry is for certain failures only
        outbox.resend_unconfirmed(entry.id, confirm=True)
        await outbox.wait_idle()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT and done.attempts == 2
    assert recorder.states(entry.id) == [
        "queued",
        "sending",
        "checking",
        "unconfirmed",
        "queued",
        "sending",
        "sent",
    ]
    assert await outbound_bodies(reader, conversation_id) == ["See you at 5"]


async def test_resend_of_an_unconfirmed_reply_that_did_arrive_looks_first(
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    """It arrived after the checks gave up: the look before the resend finds it."""
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")
    table = store.outbox_table("acct")
    now = store.clock()
    entry = outbox.enqueue_text(phone, "Late but there", conversation_id=conversation_id)
    table.transition(entry.id, ["queued"], state="unconfirmed", attempted_at=now, attempts=1)
    await reader.messages.send(phone, text="Late but there")  # what the server did store
    outbox.refresh()
    outbox.resend_unconfirmed(entry.id, confirm=True)
    async with outbox:
        await outbox.wait_idle()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT and done.attempts == 1
    assert await outbound_bodies(reader, conversation_id) == ["Late but there"]


async def test_recheck_finds_an_unconfirmed_reply_that_arrived_late_and_discard_forgets(
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    table = store.outbox_table("acct")
    now = store.clock()
    late = outbox.enqueue_text(phone, "Arrived late", conversation_id=conversation_id)
    never = outbox.enqueue_text(phone, "Never arrived", conversation_id=conversation_id)
    for entry in (late, never):
        table.transition(entry.id, ["queued"], state="unconfirmed", attempted_at=now, attempts=1)
    outbox.refresh()
    await reader.messages.send(phone, text="Arrived late")
    async with outbox:
        outbox.recheck(late.id)
        outbox.recheck(never.id)
        await outbox.wait_idle()
        assert outbox.get(late.id).state is State.SENT  # type: ignore[union-attr]
        assert outbox.get(never.id).state is State.UNCONFIRMED  # type: ignore[union-attr]
        assert recorder.states(never.id)[-2:] == ["checking", "unconfirmed"]
        gone = outbox.discard(never.id)
    assert gone.removed and outbox.get(never.id) is None and outbox.pending() == []
    assert await outbound_bodies(reader, conversation_id) == ["Arrived late"]


async def test_identical_replies_claim_different_messages(
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    faults.plan = Script("timeout", "disconnect", "503")
    outbox = fast_outbox(client, store, "acct")
    async with outbox:
        ids = [outbox.enqueue_text(phone, "ok", conversation_id=conversation_id).id for _ in "abc"]
        await outbox.wait_idle()
    entries = [outbox.get(i) for i in ids]
    states = [e.state if e else None for e in entries]
    assert states == [State.SENT, State.SENT, State.UNCONFIRMED]
    message_ids = {e.server_message_id for e in entries if e and e.state is State.SENT}
    assert len(message_ids) == 2 and None not in message_ids
    assert await outbound_bodies(reader, conversation_id) == ["ok", "ok"]


async def test_template_to_a_new_number_is_found_by_phone(
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    new_phone: Callable[[], str],
) -> None:
    templates = [
        t
        async for t in reader.templates.iterate(status="approved")
        if not t.attachment and not t.button_tags
    ]
    template = templates[0]
    assert template.keyword and template.language
    tags = {tag.name: f"value {tag.name}" for tag in template.tags if tag.name}
    phone = new_phone()
    faults.plan = Script("timeout")
    outbox = fast_outbox(client, store, "acct")
    async with outbox:
        entry = outbox.enqueue_template(phone, template.keyword, template.language, tags=tags)
        assert entry.conversation_id is None
        await outbox.wait_idle()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT and done.conversation_id
    bodies = await outbound_bodies(reader, done.conversation_id)
    assert len(bodies) == 1 and "{{" not in bodies[0]


def test_fill_template_knows_both_placeholder_forms() -> None:
    values = {"1": "Ana", "name": "Marko", "2": " "}
    assert fill_template("Hi {{1}} and {name}, {{ 1 }}!", values) == "Hi Ana and Marko, Ana!"
    # No (or a blank) value: left as written, as the server leaves it.
    assert fill_template("{{2}} {{3}} {other}", values) == "{{2}} {{3}} {other}"


async def test_a_template_with_named_placeholders_is_found_after_a_lost_answer(
    server: SandboxServer,
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Callable[[], tuple[str, str]],
) -> None:
    """``{name}`` placeholders (the form Sendbee's documentation shows), filled by the
    server; the outbox fills them alike to recognise the message (the sandbox drops the
    connection after storing it)."""
    named = [
        t
        async for t in reader.templates.iterate(status="approved")
        if t.text
        and "{{" not in t.text
        and "{" in t.text
        and not t.attachment
        and not t.button_tags
    ]
    assert named, "the sandbox's demo templates include named placeholders"
    template = named[0]
    assert template.keyword and template.language
    tags = {tag.name: f"value of {tag.name}" for tag in template.tags if tag.name}
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")
    server.set_faults(send_fault="drop", send_fault_next=1)
    try:
        async with outbox:
            entry = outbox.enqueue_template(
                phone,
                template.keyword,
                template.language,
                tags=tags,
                conversation_id=conversation_id,
            )
            await asyncio.wait_for(outbox.wait_idle(), 10)
    finally:
        server.set_faults(send_fault=None)
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT
    bodies = await outbound_bodies(reader, conversation_id)
    assert bodies == [fill_template(template.text or "", tags)]


async def test_commands_follow_the_state_rules(
    client: SendbeeClient, store: LocalStore, open_conversation: Conversation
) -> None:
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")  # not started: entries stay queued
    recorder = Recorder()
    outbox.subscribe(recorder)
    first = outbox.enqueue_text(phone, "first draft", conversation_id=conversation_id)
    second = outbox.enqueue_text(phone, "second", conversation_id=conversation_id)
    assert outbox.edit(first.id) == "first draft"
    assert outbox.get(first.id) is None and recorder.states(first.id) == ["queued", "removed"]
    cancelled = outbox.cancel(second.id)
    assert cancelled.removed and cancelled.text == "second"
    with pytest.raises(OutboxStateError):
        outbox.cancel(second.id)  # gone
    with pytest.raises(OutboxStateError):
        outbox.resend_unconfirmed(second.id, confirm=True)
    sending = outbox.enqueue_text(phone, "on its way", conversation_id=conversation_id)
    store.outbox_table("acct").transition(sending.id, ["queued"], state="sending")
    for command in (outbox.cancel, outbox.discard, outbox.retry, outbox.edit, outbox.recheck):
        with pytest.raises(OutboxStateError):
            command(sending.id)
    assert outbox.pending() == [outbox.get(sending.id)]
    assert outbox.entries_for(conversation_id) == outbox.pending()
    assert outbox.entries_for(phone=phone) == outbox.pending()
    with pytest.raises(ValueError):
        outbox.enqueue_text(phone, "   ")
    with pytest.raises(ValueError):
        outbox.enqueue_text("0911234567", "no country code")
    with pytest.raises(ValueError):
        outbox.enqueue(phone, Kind.MEDIA, Payload(text="no url"))


async def test_a_listener_that_raises_does_not_stop_the_outbox(
    client: SendbeeClient, store: LocalStore, open_conversation: Conversation
) -> None:
    phone, conversation_id = open_conversation()
    outbox = fast_outbox(client, store, "acct")

    def broken(entry: object) -> None:
        raise RuntimeError("listener bug")

    outbox.subscribe(broken)
    recorder = Recorder()
    unsubscribe = outbox.subscribe(recorder)
    async with outbox:
        entry = outbox.enqueue_text(phone, "still sent", conversation_id=conversation_id)
        await asyncio.wait_for(outbox.wait_idle(), 10)
        unsubscribe()
    done = outbox.get(entry.id)
    assert done is not None and done.state is State.SENT
    assert recorder.states(entry.id) == ["queued", "sending", "sent"]
