"""InboxService without a UI: catch-up after a gap, backoff, read marks, contact edits."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

from inbox_helpers import make_app, ready, wait_for

from sendbee_tui.api import APIConnectionError, SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import LocalStore as Database
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox import (
    Connection,
    InboxService,
    LocalStore,
    MemoryState,
    model_id,
    window_left,
)


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_catch_up_summary_after_a_gap(fresh_sandbox: Any) -> None:
    """The laptop slept for an hour: the first poll afterwards summarises what changed."""
    clock = FakeClock(time.time())
    posted: list[Any] = []
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
    ) as client:
        service = InboxService(
            client, settings=Settings(), state=MemoryState(clock), post=posted.append, clock=clock
        )
        await service.poll_list()
        assert service.connection.state == "online"
        conv = service.rows()[-1]
        fresh_sandbox.inbound(conv.contact.phone, "while you were away")
        clock.now += 3600
        await service.poll_list()
    summaries = [m.summary for m in posted if isinstance(m, msg.CatchUp)]
    assert len(summaries) == 1
    assert "1 conversation with new customer messages" in summaries[0]
    assert "60 min" in summaries[0] or "1.0 h" in summaries[0]
    assert service.rows()[0].id == conv.id


async def test_messages_of_one_second_keep_the_order_the_server_lists_them() -> None:
    """Sendbee's times are whole seconds: replies sent within one second are shown in
    the server's order (it lists newest first), not sorted by their random ids."""
    now = float(int(time.time())) + 0.5
    server = SandboxServer(clock=lambda: now).start()  # every new message: the same second
    try:
        async with SendbeeClient(server.api_key, server.api_secret, server.base_url) as client:
            posted: list[Any] = []
            service = InboxService(
                client, settings=Settings(), state=MemoryState(), post=posted.append
            )
            await service.poll_list()
            conv = next(c for c in service.rows() if window_left(c, now))
            await service.open_conversation(model_id(conv))
            bodies = [f"reply {i}" for i in range(6)]  # any other order: 1 chance in 720
            for body in bodies:
                await client.messages.send(conv.contact.phone or "", text=body)
            await service.poll_thread()
            assert [m.body for m in service.thread.ordered()][-6:] == bodies
    finally:
        server.stop()


def test_backoff_grows_and_is_capped() -> None:
    posted: list[Any] = []
    connection = Connection(settings=Settings(), post=posted.append, clock=FakeClock(0.0))
    assert connection.backoff(5.0) == 5.0
    delays = []
    for _ in range(10):
        connection.went_offline(APIConnectionError("connection refused", request_sent=False))
        delays.append(connection.backoff(5.0))
    assert delays == sorted(delays)
    assert delays[-1] == 60.0
    assert connection.state == "offline" and not connection.healthy
    connection.came_online()
    assert connection.backoff(5.0) == 5.0
    assert [m.state for m in posted if isinstance(m, msg.ConnectionChanged)] == ["online"]


def test_memory_state_read_marks() -> None:
    clock = FakeClock(1000.0)
    state = MemoryState(clock)
    assert not state.is_unread("a", 900.0)  # older than the baseline
    assert state.is_unread("a", 1100.0)
    state.mark_read("a", 1100.0)
    assert not state.is_unread("a", 1100.0)
    state.mark_unread("a")
    assert state.is_unread("a", 1100.0)
    state.set_draft("a", "x")
    assert state.get_draft("a") == "x"
    # A (mark all read) covers conversations never opened, like AccountState.
    state.mark_all_read(1200.0)
    assert not state.is_unread("a", 1100.0) and not state.is_unread("b", 1150.0)
    assert state.is_unread("b", 1300.0)
    state.set_setting("inbox.sort", "window")
    assert state.get_setting("inbox.sort", "recent") == "window"
    assert state.get_setting("missing", 3) == 3


def test_account_state_and_memory_state_are_local_stores(tmp_path: Path) -> None:
    """Both stores answer the same calls the same way (mypy checks the signatures)."""
    clock = FakeClock(1000.0)
    database = Database(tmp_path, fsync=False, clock=clock)
    stores: list[LocalStore] = [database.account("p"), MemoryState(clock)]
    for store in stores:
        store.set_draft("c", "hi")
        store.mark_read("c", 1100.0)
        store.mark_unread("d")
        store.set_setting("inbox.folder", "done")
        store.set_flag("c", "prevent_bot_off", True)
        store.set_flag("d", "prevent_bot_off", True)
        store.set_flag("d", "prevent_bot_off", None)
        assert store.get_draft("c") == "hi"
        assert (store.is_unread("c", 1100.0), store.is_unread("d", 0.0)) == (False, True)
        assert store.get_setting("inbox.folder") == "done"
        assert store.get_flag("c", "prevent_bot_off") is True
        assert store.get_flag("d", "prevent_bot_off", False) is False
        assert store.refresh_if_changed() is False  # nobody else wrote
        store.close()
    database.close()


async def test_view_is_remembered_in_the_local_store(sandbox: Any) -> None:
    state = MemoryState()
    state.set_setting("inbox.folder", "done")
    state.set_setting("inbox.sort", "nonsense")  # ignored: not a sort order
    async with SendbeeClient(sandbox.api_key, sandbox.api_secret, sandbox.base_url) as client:
        service = InboxService(client, settings=Settings(), state=state, post=lambda m: None)
        assert (service.view.folder, service.view.sort) == ("done", "recent")
        service.set_sort("window")
        service.set_unread_only(True)
    assert state.get_setting("inbox.sort") == "window"
    assert state.get_setting("inbox.unread_only") is True


async def test_update_contact_renames_every_conversation_and_the_open_pane(
    fresh_sandbox: Any,
) -> None:
    """An edit on the contacts screen reaches the list rows, the header and the contact pane."""
    posted: list[Any] = []
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
    ) as client:
        service = InboxService(client, settings=Settings(), state=MemoryState(), post=posted.append)
        await service.poll_list()
        conv = service.rows()[1]
        await service.open_conversation(conv.id)
        assert service.contact_for(conv) is not None
        contacts = await client.contacts.list(search_query=conv.contact.phone)
        contact = next(c for c in contacts.items if c.phone == conv.contact.phone)
        edited = await client.contacts.update(contact.id, name="Renamed \x1b[2J Customer")
        posted.clear()
        service.update_contact(edited)
    assert service.conversation(conv.id).contact.name == "Renamed  Customer"  # cleaned
    assert service.current_conversation.contact.name == "Renamed  Customer"
    assert service.contact_for(conv).name == "Renamed  Customer"
    lists = [m for m in posted if isinstance(m, msg.ConversationsChanged)]
    assert lists and any(r.contact.name == "Renamed  Customer" for r in lists[-1].rows)
    updates = [m.conversation for m in posted if isinstance(m, msg.ConversationUpdated)]
    assert [u.id for u in updates] == [conv.id]
    # Conversations of other contacts are untouched.
    others = [c for c in service.rows() if c.contact.phone != conv.contact.phone]
    assert others and all(c.contact.name != "Renamed  Customer" for c in others)


async def test_desktop_notifications_carry_no_injected_escapes(
    sandbox: Any, tmp_path: Path
) -> None:
    from dataclasses import replace

    app = make_app(sandbox, tmp_path)
    app.config.settings = replace(app.config.settings, notify_bell=True, notify_osc=True)
    written: list[str] = []
    app._write_escape = written.append  # type: ignore[method-assign]
    bells: list[bool] = []
    app.bell = lambda: bells.append(True)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: ready(app))
        app.notify_inbound("Eve\x07\x1b]0;x\x07;", "hi\x1b[2J; there\x9b1m")
    osc = [w for w in written if w.startswith(("\x1b]9;", "\x1b]777;"))]
    assert len(osc) == 2 and bells == [True]
    for seq in osc:
        body = seq[len("\x1b]") : -1]
        assert seq.endswith("\x07")
        assert not any(ch in body for ch in "\x1b\x07\x9b")
    assert osc[1].startswith("\x1b]777;notify;Eve,;")


async def test_previews_wait_while_held_and_come_once_allowed(sandbox: Any) -> None:
    """At start the service holds previews until the first rows are painted."""
    async with SendbeeClient(sandbox.api_key, sandbox.api_secret, sandbox.base_url) as client:
        posted: list[Any] = []
        service = InboxService(client, settings=Settings(), state=MemoryState(), post=posted.append)
        service.start_early()  # holds the previews
        await service.poll_list()
        first = service.rows()[0]
        loop = asyncio.ensure_future(service.preview_loop())
        try:
            service.request_previews([model_id(first)])
            for _ in range(20):  # the loop gets every chance to run; it must not fetch
                await asyncio.sleep(0)
            assert model_id(first) in service.previews.wanted  # not taken up for a fetch
            assert service.preview(first) is None
            assert not any(isinstance(m, msg.PreviewsChanged) for m in posted)
            service.first_rows_shown()

            async def fetched() -> None:
                while service.preview(first) is None:
                    await asyncio.sleep(0.01)

            await asyncio.wait_for(fetched(), timeout=20)
        finally:
            loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await loop
