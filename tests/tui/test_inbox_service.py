"""InboxService without a UI: catch-up after a gap, backoff, read marks, notifications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inbox_helpers import make_app, ready, wait_for

from sendbee_tui.api import SendbeeClient
from sendbee_tui.config import Settings
from sendbee_tui.tui import messages as msg
from sendbee_tui.tui.inbox import InboxService, MemoryState


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


async def test_catch_up_summary_after_a_gap(fresh_sandbox: Any) -> None:
    """The laptop slept for an hour: the first poll afterwards summarises what changed."""
    import time

    clock = FakeClock(time.time())
    posted: list[Any] = []
    async with SendbeeClient(
        fresh_sandbox.api_key, fresh_sandbox.api_secret, fresh_sandbox.base_url
    ) as client:
        service = InboxService(
            client, settings=Settings(), state=MemoryState(clock), post=posted.append, clock=clock
        )
        await service.poll_list()
        assert service.connection == "online"
        conv = service.rows()[-1]
        fresh_sandbox.inbound(conv.contact.phone, "while you were away")
        clock.now += 3600
        await service.poll_list()
    summaries = [m.summary for m in posted if isinstance(m, msg.CatchUp)]
    assert len(summaries) == 1
    assert "1 conversation(s) with new customer messages" in summaries[0]
    assert "60 min" in summaries[0] or "1.0 h" in summaries[0]
    assert service.rows()[0].id == conv.id


def test_backoff_grows_and_is_capped() -> None:
    service = InboxService(None, settings=Settings(), state=MemoryState(), post=lambda m: None)
    assert service._backoff(5.0) == 5.0
    delays = []
    for _ in range(10):
        service._failures += 1
        delays.append(service._backoff(5.0))
    assert delays == sorted(delays)
    assert delays[-1] == 60.0


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
        await pilot.pause()
    osc = [w for w in written if w.startswith(("\x1b]9;", "\x1b]777;"))]
    assert len(osc) == 2 and bells == [True]
    for seq in osc:
        body = seq[len("\x1b]") : -1]
        assert seq.endswith("\x07")
        assert not any(ch in body for ch in "\x1b\x07\x9b")
    assert osc[1].startswith("\x1b]777;notify;Eve,;")
