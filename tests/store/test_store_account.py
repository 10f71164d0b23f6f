"""AccountState keeps the old JSON state's promises (drafts, read marks, settings) in SQLite."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from sendbee_tui.store import AccountState, LocalStore

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now


def open_state(
    tmp_path: Path, account: str = "shop", clock: FakeClock | None = None, **kw: float
) -> AccountState:
    """A fresh store (a new connection: what a restarted app or a second window gets)."""
    store = LocalStore(tmp_path, fsync=False, clock=clock or FakeClock())
    return store.account(account, **kw)


def wait_until_saved(state: AccountState, timeout: float = 5.0) -> None:
    """Poll the timer thread's effect (a thread, not the UI: no pilot to wait on)."""
    deadline = time.monotonic() + timeout
    while state.pending and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not state.pending, "the debounce timer never flushed"


def test_drafts_survive_a_restart(tmp_path: Path) -> None:
    with open_state(tmp_path) as state:
        state.set_draft("c1", "Hello, I'll check your order")
        state.set_draft("c2", "multi\nline ✓ 😀 مرحبا")
        state.set_draft("c3", "gone soon")
        state.clear_draft("c3")
    again = open_state(tmp_path)
    assert again.get_draft("c1") == "Hello, I'll check your order"
    assert again.get_draft("c2") == "multi\nline ✓ 😀 مرحبا"
    assert again.get_draft("c3") == ""
    assert again.draft_ids() == {"c1", "c2"}


def test_accounts_do_not_share_state(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, fsync=False)
    store.account("a").set_draft("c1", "for a")
    store.account("a").mark_unread("c9")
    assert store.account("a") is store.account("a")
    b = store.account("b")
    assert b.get_draft("c1") == "" and not b.is_unread("c9", None)
    store.close()
    assert open_state(tmp_path, "a").get_draft("c1") == "for a"


def test_keystrokes_are_written_after_the_debounce_not_each(tmp_path: Path) -> None:
    state = open_state(tmp_path, debounce=0.2)
    for i in range(200):
        state.set_draft("c1", "x" * i)
    assert state.pending
    wait_until_saved(state)
    assert open_state(tmp_path).get_draft("c1") == "x" * 199


def test_flush_close_and_late_changes(tmp_path: Path) -> None:
    state = open_state(tmp_path, debounce=60)
    state.set_draft("c1", "now")
    state.flush()
    assert open_state(tmp_path).get_draft("c1") == "now"
    state.close()
    state.set_draft("c1", "late")
    assert not state.pending
    assert open_state(tmp_path).get_draft("c1") == "late"


def test_read_marks(tmp_path: Path) -> None:
    clock = FakeClock()
    state = open_state(tmp_path, clock=clock)
    before, after = T0 - timedelta(hours=1), T0 + timedelta(minutes=5)
    assert not state.is_unread("c1", before)  # never opened: counts from the baseline
    assert state.is_unread("c1", after)
    assert not state.is_unread("c1", None)
    state.mark_read("c1", after)
    assert not state.is_unread("c1", after)
    assert state.is_unread("c1", after + timedelta(seconds=1))
    state.mark_read("c1", before)  # never backwards
    assert not state.is_unread("c1", after)
    state.mark_unread("c1")
    assert state.is_unread("c1", before) and state.is_unread("c1", None)
    state.mark_read("c1")  # default: now
    assert not state.is_unread("c1", T0)
    state.close()
    again = open_state(tmp_path, clock=clock)
    assert not again.is_unread("c1", after)
    assert again.is_unread("c1", after + timedelta(seconds=1))
    assert again.baseline == T0
    naive = (T0 + timedelta(minutes=1)).replace(tzinfo=None)
    assert again.is_unread("c2", naive)  # naive datetimes are UTC


def test_unread_ids_mark_all_read_and_shift(tmp_path: Path) -> None:
    state = open_state(tmp_path)
    later = T0 + timedelta(hours=1)
    latest = {"a": later, "b": T0 - timedelta(days=1), "c": None, "d": later}
    state.mark_read("d", later)
    state.mark_unread("z")
    assert state.unread_ids(latest) == {"a", "z"}
    assert state.unread_ids(list(latest.items())) == {"a", "z"}
    state.mark_all_read(later)
    assert state.unread_ids(latest) == set()
    assert state.is_unread("a", later + timedelta(seconds=1))
    day = timedelta(days=1)
    state.mark_read("e", later + timedelta(minutes=1))
    state.shift_times(day.total_seconds())
    assert state.baseline == later + day
    assert not state.is_unread("e", later + day + timedelta(minutes=1))
    again = open_state(tmp_path)
    assert again.baseline == later + day
    assert again.is_unread("e", later + day + timedelta(minutes=2))
    assert not again.is_unread("z", None)


def test_settings_and_flags_round_trip(tmp_path: Path) -> None:
    with open_state(tmp_path) as state:
        state.set_setting("folder", "done")
        state.set_setting("sort", {"key": "window", "reverse": False})
        with pytest.raises(TypeError):
            state.set_setting("bad", object())
        state.set_flag("c1", "prevent_bot_off", True)
        state.set_flag("c2", "prevent_bot_off", True)
        state.set_flag("c2", "prevent_bot_off", None)
        state.set_flag("c3", "prevent_bot_off", False)
    again = open_state(tmp_path)
    assert again.get_setting("folder") == "done"
    assert again.get_setting("sort") == {"key": "window", "reverse": False}
    assert again.get_setting("missing", 3) == 3
    assert again.get_flag("c1", "prevent_bot_off") is True
    assert again.get_flag("c2", "prevent_bot_off", "unset") == "unset"
    assert again.flagged("prevent_bot_off") == {"c1"}


def test_a_later_flush_never_lands_before_an_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two flushes at once (the debounce timer's and a save after a send, say): the
    later one took the newer text, so it must also be written last.  Otherwise a
    draft already sent could come back from disk after a crash."""
    state = open_state(tmp_path, debounce=60)
    real = state.store.transaction
    first_writing, release = threading.Event(), threading.Event()
    calls = 0

    @contextlib.contextmanager
    def slow_first(**kwargs: Any) -> Iterator[Any]:
        nonlocal calls
        calls += 1
        if calls == 1:  # the first flush has its snapshot and is about to write
            first_writing.set()
            release.wait(10)
        with real(**kwargs) as conn:
            yield conn

    monkeypatch.setattr(state.store, "transaction", slow_first)
    state.set_draft("c1", "older")
    first = threading.Thread(target=state.flush)
    first.start()
    assert first_writing.wait(10)
    state.set_draft("c1", "newer")
    second = threading.Thread(target=state.flush)
    second.start()
    # Unordered flushes let this one write now, before the first: give it the chance
    # (when it is slower the test merely passes without showing anything).
    second.join(0.2)
    release.set()
    first.join(10)
    second.join(10)
    state.close()
    assert open_state(tmp_path).get_draft("c1") == "newer"


def test_threads_typing_at_once(tmp_path: Path) -> None:
    state = open_state(tmp_path, debounce=0.001)

    def type_into(conv: str) -> None:
        for i in range(200):
            state.set_draft(conv, f"{conv} {i}")
            state.mark_read(conv, T0 + timedelta(seconds=i))

    threads = [threading.Thread(target=type_into, args=(f"c{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    state.close()
    again = open_state(tmp_path)
    assert {again.get_draft(f"c{n}") for n in range(4)} == {f"c{n} 199" for n in range(4)}
    assert not again.is_unread("c0", T0 + timedelta(seconds=199))


def test_files_are_private(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX file modes")
    data = tmp_path / "data"
    state = open_state(data)
    state.set_draft("c1", "secret customer talk")
    state.flush()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    state.store.close()
    os.chmod(data / "state.sqlite3", 0o644)
    LocalStore(data).close()
    assert stat.S_IMODE((data / "state.sqlite3").stat().st_mode) == 0o600


def test_a_file_that_is_not_a_database_is_moved_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tmp_path.joinpath("state.sqlite3").write_bytes(b"this is not SQLite" * 100)
    state = open_state(tmp_path)
    assert state.get_draft("c1") == ""
    assert "unreadable" in caplog.text
    assert [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    state.set_draft("c1", "fresh")
    state.store.close()
    assert open_state(tmp_path).get_draft("c1") == "fresh"


def test_forget_account_starts_it_over_and_leaves_others(tmp_path: Path) -> None:
    """The demo's --demo-reset: everything of one account goes, a new baseline comes."""
    clock = FakeClock()
    store = LocalStore(tmp_path, fsync=False, clock=clock)
    demo, other = store.account("demo"), store.account("other")
    for state in (demo, other):
        state.set_draft("c1", "draft")
        state.mark_unread("c2")
        state.set_flag("c1", "prevent_bot_off", True)
        state.flush()
    store.outbox_table("demo").insert(
        id="e1",
        conversation_id="c1",
        phone="+385911234567",
        kind="text",
        payload={"text": "queued"},
        state="queued",
        created_at=clock(),
    )
    clock.now += 3600
    store.forget_account("demo")
    fresh = store.account("demo")
    assert fresh is not demo
    assert fresh.get_draft("c1") == "" and not fresh.is_unread("c2", None)
    assert fresh.get_flag("c1", "prevent_bot_off") is None
    assert fresh.baseline == T0 + timedelta(hours=1)
    assert store.outbox_table("demo").rows() == []
    assert other.get_draft("c1") == "draft" and other.is_unread("c2", None)
    store.close()
