"""The inbox's side of the outbox without a UI: resuming on a successful poll, row marks,
local state keyed by account (and imported from the old JSON file), two instances."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sendbee_tui.api import SendbeeClient
from sendbee_tui.config import Paths, Profile, Settings, legacy_state_path
from sendbee_tui.outbox import Outbox, State
from sendbee_tui.sandbox import SandboxServer
from sendbee_tui.store import MIGRATED_SUFFIX
from sendbee_tui.tui.inbox import (
    InboxService,
    MemoryState,
    SendStateChanged,
    model_id,
    open_local_state,
    window_left,
)
from sendbee_tui.tui.messages import ThreadLoaded


class Restartable:
    """A sandbox that can go away (connection refused) and come back on the same port."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.server = SandboxServer(db_path=db_path).start()
        self.port = self.server.port
        self.api_key, self.api_secret = self.server.api_key, self.server.api_secret
        self.base_url = self.server.base_url

    def down(self) -> None:
        self.server.stop()

    def up(self) -> None:
        self.server = SandboxServer(db_path=self.db_path, port=self.port).start()


@pytest.fixture
def restartable(tmp_path: Path) -> Iterator[Restartable]:
    server = Restartable(tmp_path / "sandbox.sqlite3")
    try:
        yield server
    finally:
        server.server.stop()


def client_for(server: Any) -> SendbeeClient:
    return SendbeeClient(server.api_key, server.api_secret, server.base_url, max_retries=0)


async def until(condition: Any, timeout: float = 10.0) -> None:
    """Let the outbox's tasks run until ``condition()`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def test_a_successful_poll_resumes_a_paused_outbox_at_once(
    restartable: Restartable, tmp_path: Path
) -> None:
    """The outbox's own backoff is a minute here: only the inbox's poll can resume it."""
    posted: list[Any] = []
    opened = open_local_state(
        Paths(tmp_path / "config", tmp_path / "data"),
        Profile("p", restartable.api_key, restartable.api_secret, restartable.base_url),
        clock=time.time,
    )
    client = client_for(restartable)
    service = InboxService(client, settings=Settings(), state=opened.state, post=posted.append)
    outbox = Outbox(
        client,
        opened.store,
        "acct",
        window_open=service.window_open,
        check_schedule=(0.0, 0.2),
        retry_delays=(60.0,),
        poll_interval=0.05,
    )
    service.attach_outbox(outbox)
    await service.poll_list()
    conv = next(c for c in service.rows() if window_left(c, service.clock()))
    conv_id = model_id(conv)
    async with outbox:
        restartable.down()
        entry = service.enqueue_reply(conv, "written while Sendbee was away")
        await until(lambda: (e := outbox.get(entry.id)) is not None and e.error is not None)
        assert outbox.get(entry.id).state is State.QUEUED  # type: ignore[union-attr]
        assert service.send_state(conv_id) == "queued"
        restartable.up()
        await service.poll_list()  # the inbox sees the server again...
        await until(lambda: outbox.get(entry.id).state is State.SENT, 5.0)  # type: ignore[union-attr]
    assert service.send_state(conv_id) is None
    marks = [(m.conversation_id, m.state) for m in posted if isinstance(m, SendStateChanged)]
    assert marks == [(conv_id, "queued"), (conv_id, None)]
    await client.aclose()
    opened.store.close()


async def test_a_reply_that_reaches_sendbee_brings_the_inbox_back_at_once(
    restartable: Restartable, tmp_path: Path
) -> None:
    """While Sendbee is away the inbox backs off (a minute here) and the open thread
    skips its polls.  A reply the outbox gets through proves Sendbee answers again: the
    inbox comes back and the thread shows the server's copy now, not a minute later."""
    posted: list[Any] = []
    opened = open_local_state(
        Paths(tmp_path / "config", tmp_path / "data"),
        Profile("p", restartable.api_key, restartable.api_secret, restartable.base_url),
        clock=time.time,
    )
    client = client_for(restartable)
    slow = Settings(poll_list_seconds=60, poll_thread_seconds=60)
    service = InboxService(client, settings=slow, state=opened.state, post=posted.append)
    outbox = Outbox(
        client,
        opened.store,
        "acct",
        window_open=service.window_open,
        check_schedule=(0.0, 0.2),
        retry_delays=(0.1,),
        poll_interval=0.05,
    )
    service.attach_outbox(outbox)
    await service.poll_list()
    conv = next(c for c in service.rows() if window_left(c, service.clock()))
    conv_id = model_id(conv)
    await service.open_conversation(conv_id)
    text = "written while Sendbee was away"

    def thread_shows_it() -> bool:
        loaded = [m for m in posted if isinstance(m, ThreadLoaded) and m.conversation_id == conv_id]
        return bool(loaded) and any(m.body == text for m in loaded[-1].messages)

    loops = [asyncio.create_task(service.list_loop()), asyncio.create_task(service.thread_loop())]
    try:
        async with outbox:
            restartable.down()
            service.wake()  # the polls fail now: the inbox is offline and backs off
            await until(lambda: service.connection.state == "offline")
            entry = service.enqueue_reply(conv, text)
            await until(lambda: (e := outbox.get(entry.id)) is not None and e.error is not None)
            restartable.up()
            await until(lambda: outbox.get(entry.id).state is State.SENT)  # type: ignore[union-attr]
            # Within the 10 s bound only the send can have brought them back: the
            # inbox's own next attempt is a minute away.
            await until(lambda: service.connection.state == "online" and thread_shows_it())
    finally:
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        await client.aclose()
        opened.store.close()


async def test_row_marks_say_the_most_urgent_state(fresh_sandbox: Any, tmp_path: Path) -> None:
    posted: list[Any] = []
    opened = open_local_state(
        Paths(tmp_path / "config", tmp_path / "data"),
        Profile("p", fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url),
        clock=time.time,
    )
    client = client_for(fresh_sandbox)
    service = InboxService(client, settings=Settings(), state=MemoryState(), post=posted.append)
    outbox = Outbox(client, opened.store, "acct", window_open=service.window_open)
    service.attach_outbox(outbox)
    await service.poll_list()
    conv = next(c for c in service.rows() if window_left(c, service.clock()))
    conv_id = model_id(conv)
    # Not started: entries stay as queued/edited by hand, the marks follow them.
    refused = service.enqueue_reply(conv, "to an agent that does not exist", agent_id="ghost")
    queued = service.enqueue_reply(conv, "waiting")
    assert service.send_state(conv_id) == "queued"
    async with outbox:
        await asyncio.wait_for(outbox.wait_idle(), 10)
    assert outbox.get(refused.id).state is State.FAILED  # type: ignore[union-attr]
    assert outbox.get(queued.id).state is State.SENT  # type: ignore[union-attr]
    assert service.send_state(conv_id) == "failed"
    outbox.discard(refused.id)
    assert service.send_state(conv_id) is None
    marks = [m.state for m in posted if isinstance(m, SendStateChanged)]
    assert marks == ["queued", "failed", None]
    await client.aclose()
    opened.store.close()


def test_state_is_filed_under_the_account_not_the_profile_name(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "config", tmp_path / "data")
    shop = Profile("shop", "key-1", "secret", "https://api.example.com")
    renamed = Profile("work", "key-1", "other secret", "https://API.example.com/")
    other = Profile("shop", "key-2", "secret", "https://api.example.com")
    first = open_local_state(paths, shop, clock=lambda: 1000.0)
    first.state.set_draft("c1", "half a reply")
    first.state.set_flag("c1", "prevent_bot_off", True)
    first.state.mark_unread("c2")
    first.store.close()
    same = open_local_state(paths, renamed, clock=lambda: 1000.0)
    assert same.state.get_draft("c1") == "half a reply"
    assert same.state.get_flag("c1", "prevent_bot_off") is True
    assert same.state.is_unread("c2", 0.0)
    same.store.close()
    new_key = open_local_state(paths, other, clock=lambda: 1000.0)
    assert new_key.state.get_draft("c1") == ""
    new_key.store.close()


def test_the_old_json_state_is_imported_once(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "config", tmp_path / "data")
    profile = Profile("shop", "key-1", "secret", "https://api.example.com")
    old = legacy_state_path(paths, "shop")
    old.parent.mkdir(parents=True)
    old.write_text(
        json.dumps(
            {
                "version": 1,
                "baseline": 500.0,
                "drafts": {"c1": "from the JSON days"},
                "read": {"c2": 900.0},
                "unread": ["c3"],
                "settings": {"inbox.folder": "done"},
            }
        )
    )
    opened = open_local_state(paths, profile, clock=lambda: 1000.0)
    state = opened.state
    assert state.get_draft("c1") == "from the JSON days"
    assert not state.is_unread("c2", 900.0) and state.is_unread("c2", 901.0)
    assert state.is_unread("c3", None) and state.get_setting("inbox.folder") == "done"
    assert not old.exists() and old.with_name(old.name + MIGRATED_SUFFIX).exists()
    state.set_draft("c1", "edited since")
    opened.store.close()
    again = open_local_state(paths, profile, clock=lambda: 1000.0)
    assert again.state.get_draft("c1") == "edited since"  # not imported a second time
    again.store.close()


async def test_two_instances_see_each_others_marks_drafts_and_replies(
    fresh_sandbox: Any, tmp_path: Path
) -> None:
    """Two app windows on one account: each poll picks up what the other wrote."""
    paths = Paths(tmp_path / "config", tmp_path / "data")
    profile = Profile("p", fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url)
    windows = []
    for _ in range(2):
        opened = open_local_state(paths, profile, clock=time.time)
        opened.state.auto_refresh = None  # only the poll refreshes: what this test is about
        client = client_for(fresh_sandbox)
        posted: list[Any] = []
        service = InboxService(client, settings=Settings(), state=opened.state, post=posted.append)
        outbox = Outbox(client, opened.store, profile.account_key, poll_interval=0.05)
        service.attach_outbox(outbox)
        await service.poll_list()
        windows.append((opened, client, service, outbox, posted))
    (one, _, first, outbox_one, _), (_, _, second, outbox_two, seen_by_two) = windows
    conv = next(c for c in first.rows() if window_left(c, first.clock()))
    conv_id = model_id(conv)
    fresh_sandbox.inbound(conv.contact.phone, "are you there?")
    await first.poll_list()
    await second.poll_list()
    assert first.is_unread(first.conversation(conv_id))  # type: ignore[arg-type]
    await first.open_conversation(conv_id)  # read in window one
    first.set_draft(conv_id, "typed in window one")
    one.state.flush()
    entry = first.enqueue_reply(conv, "sent from window one")
    second.refresh_local()
    assert not second.is_unread(second.conversation(conv_id))  # type: ignore[arg-type]
    assert second.get_draft(conv_id) == "typed in window one"
    assert [e.id for e in second.outbox_entries(conv_id)] == [entry.id]
    assert any(isinstance(m, SendStateChanged) for m in seen_by_two)
    async with outbox_one, outbox_two:
        await asyncio.wait_for(outbox_one.wait_idle(), 10)
        await asyncio.wait_for(outbox_two.wait_idle(), 10)
    second.refresh_local()
    assert [e.state for e in second.outbox_entries(conv_id)] == [State.SENT]
    for opened, client, *_ in windows:
        await client.aclose()
        opened.store.close()


def test_an_unusable_data_directory_still_gives_a_working_state(tmp_path: Path) -> None:
    """A file where the data directory should be: a temporary database, and a notice."""
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    paths = Paths(tmp_path / "config", blocker)
    opened = open_local_state(paths, Profile("p", "k", "s", "https://api.example.com"), time.time)
    assert opened.notice is not None and "until you quit" in opened.notice
    opened.state.set_draft("c1", "still works")
    assert opened.state.get_draft("c1") == "still works"
    assert not str(opened.store.path).startswith(str(blocker))
    opened.store.close()
