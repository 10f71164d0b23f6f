"""A campaign under faults: 520 replies, >= 20% of sends ambiguous, none duplicated, none lost.

The sandbox itself breaks committed sends: the first half of the campaign it
drops the connection after storing the message (``send_fault="drop"``), the
second half it stores and never answers (``"hang"``, the client gives up
after a short timeout).  The faults a server cannot give for sends alone come
from the wrapper (:mod:`outbox_support`): refused connections, 429, a 5xx with
nothing stored and a 500 after storing.

Every intended reply is counted on the server afterwards (through the API):
a ``sent`` entry must be there exactly once, a ``failed`` or ``unconfirmed``
one not at all — and then the agent sees it with its text.  Replies that
repeat ("ok") on purpose are counted per conversation: as many on the server
as entries sent.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from outbox_support import (
    ACTED,
    FaultTransport,
    RandomFaults,
    fast_outbox,
    make_client,
    outbound_bodies,
)

from sendbee_tui.api import SendbeeClient
from sendbee_tui.outbox import State
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore

Conversation = Callable[[], tuple[str, str]]

SENDS = 520
CONVERSATIONS = 8
#: The wrapper's share of sends, for the faults the sandbox cannot give to sends alone.
WRAPPER_RATE = 0.18
WRAPPER_WEIGHTS = {"500_after": 1.0, "503": 1.5, "connect": 1.5, "429": 1.0}
#: The sandbox's own faults, among the sends it commits.
DROP_RATE = 0.3
HANG_RATE = 0.06
#: How long the client waits for a held send (each "hang" costs this much).
HANG_TIMEOUT = 0.3


async def test_campaign_delivers_each_reply_exactly_once_or_shows_it(
    server: SandboxServer,
    reader: SendbeeClient,
    faults: FaultTransport,
    store: LocalStore,
    open_conversation: Conversation,
) -> None:
    conversations = [open_conversation() for _ in range(CONVERSATIONS)]
    faults.plan = RandomFaults(seed=20260101, rate=WRAPPER_RATE, weights=WRAPPER_WEIGHTS)
    client = make_client(server, faults, timeout=HANG_TIMEOUT)
    outbox = fast_outbox(client, store, "acct", check_schedule=(0.0, 0.02, 0.05))
    intended: list[tuple[str, str, str]] = []  # (entry id, conversation id, text)
    server.set_faults(send_fault="drop", send_fault_rate=DROP_RATE)
    try:
        async with outbox:
            for n in range(SENDS):
                phone, conversation_id = conversations[n % CONVERSATIONS]
                text = "ok" if n % 13 == 0 else f"reply {n} to {conversation_id[:6]}"
                queued = outbox.enqueue_text(phone, text, conversation_id=conversation_id)
                intended.append((queued.id, conversation_id, text))
                if n % 50 == 0:
                    await asyncio.sleep(0)  # let the loop start while the agent types on
            while sum(not e.active for e in outbox.journal) < SENDS // 2:
                await asyncio.sleep(0.01)
            server.set_faults(send_fault="hang", send_fault_rate=HANG_RATE)
            await asyncio.wait_for(outbox.wait_idle(), 90)
    finally:
        server.set_faults(send_fault=None)
        await client.aclose()

    assert faults.faults["drop"] > 0 and faults.faults["hang"] > 0, faults.faults
    ambiguous = sum(faults.faults[k] for k in (*ACTED, "503"))
    assert faults.sends >= SENDS
    assert ambiguous / faults.sends >= 0.2, faults.faults

    on_server: Counter[tuple[str, str]] = Counter()
    for _, conversation_id in conversations:
        for body in await outbound_bodies(reader, conversation_id):
            on_server[(conversation_id, body)] += 1
    sent: Counter[tuple[str, str]] = Counter()
    states: Counter[State] = Counter()
    for entry_id, conversation_id, text in intended:
        entry = outbox.get(entry_id)
        assert entry is not None, "an intended reply vanished from the outbox"
        assert not entry.active, f"{entry!r} never finished"
        states[entry.state] += 1
        if entry.state is State.SENT:
            sent[(conversation_id, text)] += 1
        else:
            assert entry.text == text and entry.error  # visible, with its text and reason
    duplicates = {k: n for k, n in on_server.items() if n > sent[k]}
    lost = {k: n for k, n in sent.items() if on_server[k] < n}
    assert duplicates == {}
    assert lost == {}
    # Only "503 without storing" leaves a reply unconfirmed; every stored reply was found.
    assert states[State.UNCONFIRMED] == faults.faults["503"]
    assert states[State.FAILED] == 0
    assert states[State.SENT] == SENDS - faults.faults["503"]
