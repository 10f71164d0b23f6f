"""Offline queueing, the 24-hour window while queued, recovery after a crash, two instances."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import httpx
from outbox_support import (
    FaultTransport,
    Recorder,
    Script,
    fast_outbox,
    make_client,
    outbound_bodies,
)

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import NOT_SEEN, WINDOW_CLOSED, State
from sendbee_tui.store import LocalStore

Conversation = Callable[[], tuple[str, str]]


async def test_offline_replies_go_out_in_order_when_the_server_is_back(
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    (phone_a, conv_a), (phone_b, conv_b) = open_conversation(), open_conversation()
    offline = True
    faults.plan = lambda request: "connect" if offline else None
    # A long backoff: only server_back() can resume within the test.
    outbox = fast_outbox(client, store, "acct", retry_delays=(60.0,))
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        texts = ["one", "two", "three"]
        ids = [outbox.enqueue_text(phone_a, t, conversation_id=conv_a).id for t in texts]
        ids.append(outbox.enqueue_text(phone_b, "other", conversation_id=conv_b).id)
        while faults.faults["connect"] < 1:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)  # the loop is paused: no more attempts meanwhile
        assert faults.faults["connect"] == 1
        first = outbox.get(ids[0])
        assert first is not None and first.state is State.QUEUED and first.error
        offline = False
        outbox.server_back()
        await asyncio.wait_for(outbox.wait_idle(), 10)
    assert [outbox.get(i).state for i in ids] == [State.SENT] * 4  # type: ignore[union-attr]
    assert recorder.states(ids[0]) == ["queued", "sending", "queued", "sending", "sent"]
    assert await outbound_bodies(reader, conv_a) == texts
    assert await outbound_bodies(reader, conv_b) == ["other"]


async def test_a_429_requeues_and_waits(
    client: SendbeeClient,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    faults.plan = Script("429")
    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        entry = outbox.enqueue_text(phone, "after the pause", conversation_id=conversation_id)
        await asyncio.wait_for(outbox.wait_idle(), 10)
    assert recorder.states(entry.id) == ["queued", "sending", "queued", "sending", "sent"]
    assert await outbound_bodies(reader, conversation_id) == ["after the pause"]


async def test_window_closed_while_queued_fails_with_the_reason_and_keeps_the_text(
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    (phone, closed), (phone_ok, still_open) = open_conversation(), open_conversation()
    asked: list[str] = []

    async def window_open(conversation_id: str) -> bool | None:
        asked.append(conversation_id)
        return None if conversation_id == still_open else False

    outbox = fast_outbox(client, store, "acct", window_open=window_open)
    async with outbox:
        late = outbox.enqueue_text(phone, "Sorry for the wait", conversation_id=closed)
        unknown = outbox.enqueue_text(phone_ok, "goes out", conversation_id=still_open)
        await outbox.wait_idle()
    failed = outbox.get(late.id)
    assert failed is not None and failed.state is State.FAILED
    assert failed.error == WINDOW_CLOSED and failed.text == "Sorry for the wait"
    assert failed.attempts == 0  # never left
    assert outbox.get(unknown.id).state is State.SENT  # type: ignore[union-attr]
    assert asked == [closed, still_open]
    assert await outbound_bodies(reader, closed) == []


async def test_recover_checks_what_a_crash_left_before_sending_anything_else(
    client: SendbeeClient,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    """Crash states on disk: one reply that reached the server in ``sending``, one that did
    not in ``checking``; a queued reply elsewhere waits until both are resolved."""
    (phone_a, conv_a), (phone_b, conv_b), (phone_c, conv_c) = (
        open_conversation(),
        open_conversation(),
        open_conversation(),
    )
    table = store.outbox_table("acct")
    before = fast_outbox(client, store, "acct")  # the run that "crashed" (never started)
    arrived = before.enqueue_text(phone_a, "arrived before the crash", conversation_id=conv_a)
    lost = before.enqueue_text(phone_b, "never arrived", conversation_id=conv_b)
    now = store.clock()
    table.transition(arrived.id, ["queued"], state="sending", attempted_at=now, attempts=1)
    table.transition(lost.id, ["queued"], state="checking", attempted_at=now, attempts=1)
    await reader.messages.send(phone_a, text="arrived before the crash")
    waiting = before.enqueue_text(phone_c, "queued meanwhile", conversation_id=conv_c)

    outbox = fast_outbox(client, store, "acct")
    recorder = Recorder()
    outbox.subscribe(recorder)
    async with outbox:
        await asyncio.wait_for(outbox.wait_idle(), 10)
    assert recorder.states(arrived.id) == ["checking", "sent"]
    assert recorder.states(lost.id) == ["unconfirmed"]
    assert outbox.get(lost.id).error == NOT_SEEN  # type: ignore[union-attr]
    events = recorder.events
    assert events.index((waiting.id, "sending")) > events.index((lost.id, "unconfirmed"))
    assert events.index((waiting.id, "sending")) > events.index((arrived.id, "sent"))
    assert await outbound_bodies(reader, conv_a) == ["arrived before the crash"]
    assert await outbound_bodies(reader, conv_b) == []
    assert await outbound_bodies(reader, conv_c) == ["queued meanwhile"]


async def test_closing_mid_send_leaves_it_for_recovery_not_for_a_resend(
    server: object,
    reader: SendbeeClient,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    release = asyncio.Event()

    class Hanging(FaultTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await super().handle_async_request(request)
            if request.method == "POST":
                await release.wait()  # the server acted; the answer never comes back
            return response

    transport = Hanging()
    hanging = make_client(server, transport)
    outbox = fast_outbox(hanging, store, "acct")
    await outbox.start()
    entry = outbox.enqueue_text(phone, "cut off", conversation_id=conversation_id)
    while outbox.get(entry.id).state is not State.SENDING:  # type: ignore[union-attr]
        await asyncio.sleep(0.01)
    await outbox.aclose(grace=0.05)
    assert store.outbox_table("acct").get(entry.id)["state"] == "sending"  # type: ignore[index]
    await hanging.aclose()
    await transport.aclose()

    clean = make_client(server)
    again = fast_outbox(clean, store, "acct")
    async with again:
        await asyncio.wait_for(again.wait_idle(), 10)
    await clean.aclose()
    assert again.get(entry.id).state is State.SENT  # type: ignore[union-attr]
    assert await outbound_bodies(reader, conversation_id) == ["cut off"]


async def test_two_instances_share_one_outbox_and_only_one_sends(
    client: SendbeeClient,
    reader: SendbeeClient,
    tmp_path: Path,
    open_conversation: Conversation,
) -> None:
    phone, conversation_id = open_conversation()
    with (
        LocalStore(tmp_path / "shared", fsync=False) as db1,
        LocalStore(tmp_path / "shared", fsync=False) as db2,
    ):
        first = fast_outbox(client, db1, "acct", lease_ttl=5.0)
        second = fast_outbox(client, db2, "acct", lease_ttl=5.0)
        seen_by_first = Recorder()
        first.subscribe(seen_by_first)
        async with first, second:
            while not (first.is_sender or second.is_sender):
                await asyncio.sleep(0.01)
            assert not (first.is_sender and second.is_sender)
            mine = first.enqueue_text(
                phone, "from the first window", conversation_id=conversation_id
            )
            theirs = second.enqueue_text(
                phone, "from the second window", conversation_id=conversation_id
            )
            await asyncio.wait_for(first.wait_idle(), 10)
            await asyncio.wait_for(second.wait_idle(), 10)
        assert seen_by_first.states(theirs.id)[-1] == "sent"  # synced from the other connection
        assert second.get(mine.id).state is State.SENT  # type: ignore[union-attr]
    bodies = await outbound_bodies(reader, conversation_id)
    assert sorted(bodies) == ["from the first window", "from the second window"]
