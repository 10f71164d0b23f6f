"""LocalState: drafts and read marks survive restarts; keystrokes stay cheap."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sendbee_tui.state import LocalState, state_file_name

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now


def make(tmp_path: Path, **kw: object) -> LocalState:
    kw.setdefault("clock", FakeClock())
    return LocalState(tmp_path, "shop", **kw)  # type: ignore[arg-type]


def wait_until_saved(state: LocalState, timeout: float = 5.0) -> None:
    """Poll the background timer's effect (a thread, not the UI: no pilot to wait on)."""
    deadline = time.monotonic() + timeout
    while state.pending and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not state.pending, "the debounce timer never flushed"


def test_drafts_survive_a_restart(tmp_path: Path) -> None:
    with make(tmp_path) as state:
        state.set_draft("c1", "Hello, I'll check your order")
        state.set_draft("c2", "multi\nline ✓ 😀 مرحبا")
        state.set_draft("c3", "gone soon")
        state.clear_draft("c3")
    again = make(tmp_path)
    assert again.get_draft("c1") == "Hello, I'll check your order"
    assert again.get_draft("c2") == "multi\nline ✓ 😀 مرحبا"
    assert again.get_draft("c3") == ""
    assert again.draft_ids() == {"c1", "c2"}


def test_profiles_do_not_share_state(tmp_path: Path) -> None:
    with LocalState(tmp_path, "a") as a:
        a.set_draft("c1", "for a")
    assert LocalState(tmp_path, "b").get_draft("c1") == ""
    assert LocalState(tmp_path, "a").get_draft("c1") == "for a"


def test_odd_profile_names_cannot_escape_the_state_dir(tmp_path: Path) -> None:
    name = state_file_name("../../etc/passwd")
    assert "/" not in name and ".." not in name
    with LocalState(tmp_path, "../../x") as state:
        state.set_draft("c", "t")
    assert state.path.parent == tmp_path / "state"


def test_keystrokes_are_written_once_after_the_debounce(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sendbee_tui.state as state_mod

    writes: list[bytes] = []
    real_write = state_mod.atomic_write_private

    def counting_write(path: Path, data: bytes, **kw: bool) -> None:
        writes.append(data)
        real_write(path, data, **kw)

    monkeypatch.setattr(state_mod, "atomic_write_private", counting_write)
    state = make(tmp_path, debounce=0.3)
    started = time.monotonic()
    for i in range(200):
        state.set_draft("c1", "x" * i)
    typing_time = time.monotonic() - started
    assert typing_time < 0.5  # memory only (about 0.4 µs a keystroke when idle)
    # the timer writes the file without anyone calling flush
    wait_until_saved(state)
    assert json.loads(state.path.read_text())["drafts"]["c1"] == "x" * 199
    # one write for 200 keystrokes (two if a loaded machine paused us mid-typing)
    assert 1 <= len(writes) <= 2
    state.close()
    assert len(writes) <= 2  # nothing new to write on close


def test_a_crash_loses_at_most_the_debounce_window(tmp_path: Path) -> None:
    """No close(): a new instance (the restarted app) still sees what was typed
    longer ago than the debounce."""
    state = make(tmp_path, debounce=0.05)
    state.set_draft("c1", "typed before the crash")
    wait_until_saved(state)
    assert make(tmp_path).get_draft("c1") == "typed before the crash"


def test_flush_writes_immediately_and_file_is_private(tmp_path: Path) -> None:
    state = make(tmp_path, debounce=60)
    state.set_draft("c1", "now")
    state.flush()
    assert make(tmp_path).get_draft("c1") == "now"
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(state.path).st_mode) == 0o600
    state.close()


def test_changes_after_close_are_saved_synchronously(tmp_path: Path) -> None:
    state = make(tmp_path, debounce=60)
    state.close()
    state.set_draft("c1", "late")
    assert not state.pending
    assert make(tmp_path).get_draft("c1") == "late"


def test_read_marks(tmp_path: Path) -> None:
    clock = FakeClock()
    state = make(tmp_path, clock=clock)
    before, after = T0 - timedelta(hours=1), T0 + timedelta(minutes=5)
    # never opened: counts from the baseline (the state file's birth)
    assert not state.is_unread("c1", before)
    assert state.is_unread("c1", after)
    assert not state.is_unread("c1", None)
    state.mark_read("c1", after)
    assert not state.is_unread("c1", after)
    assert state.is_unread("c1", after + timedelta(seconds=1))
    # read marks never move backwards
    state.mark_read("c1", before)
    assert not state.is_unread("c1", after)
    # explicit unread wins until read again
    state.mark_unread("c1")
    assert state.is_unread("c1", before)
    assert state.is_unread("c1", None)
    state.mark_read("c1")  # default: now (the clock)
    assert not state.is_unread("c1", T0)
    state.close()
    again = make(tmp_path, clock=clock)
    assert not again.is_unread("c1", after)
    assert again.is_unread("c1", after + timedelta(seconds=1))
    assert again.baseline == T0


def test_naive_datetimes_are_utc(tmp_path: Path) -> None:
    state = make(tmp_path)
    naive_after = (T0 + timedelta(minutes=1)).replace(tzinfo=None)
    assert state.is_unread("c1", naive_after)


def test_unread_ids_and_mark_all_read(tmp_path: Path) -> None:
    clock = FakeClock()
    state = make(tmp_path, clock=clock)
    later = T0 + timedelta(hours=1)
    latest = {"a": later, "b": T0 - timedelta(days=1), "c": None, "d": later}
    state.mark_read("d", later)
    state.mark_unread("z")
    assert state.unread_ids(latest) == {"a", "z"}
    state.mark_all_read(later)
    assert state.unread_ids(latest) == set()
    assert state.is_unread("a", later + timedelta(seconds=1))


def test_settings_round_trip(tmp_path: Path) -> None:
    with make(tmp_path) as state:
        state.set_setting("folder", "done")
        state.set_setting("sort", {"key": "window", "reverse": False})
        with pytest.raises(TypeError):
            state.set_setting("bad", object())
    again = make(tmp_path)
    assert again.get_setting("folder") == "done"
    assert again.get_setting("sort") == {"key": "window", "reverse": False}
    assert again.get_setting("missing", 3) == 3


def test_corrupt_file_is_moved_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "state" / "shop.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    state = make(tmp_path)
    assert state.get_draft("c1") == ""
    assert "unreadable" in caplog.text
    assert [p.name for p in path.parent.iterdir() if "corrupt" in p.name]
    state.set_draft("c1", "fresh")
    state.close()
    assert make(tmp_path).get_draft("c1") == "fresh"


def test_concurrent_writers_do_not_corrupt_the_file(tmp_path: Path) -> None:
    state = make(tmp_path, debounce=0.001)

    def type_into(conv: str) -> None:
        for i in range(300):
            state.set_draft(conv, f"{conv} {i}")
            state.mark_read(conv, T0 + timedelta(seconds=i))

    threads = [threading.Thread(target=type_into, args=(f"c{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    state.close()
    again = make(tmp_path)
    assert {again.get_draft(f"c{n}") for n in range(4)} == {f"c{n} 299" for n in range(4)}


def test_shift_times_keeps_read_conversations_read(tmp_path: Path) -> None:
    state = make(tmp_path)
    day = timedelta(days=1)
    state.mark_read("c1", T0 + timedelta(minutes=1))
    state.shift_times(day.total_seconds())
    assert not state.is_unread("c1", T0 + day + timedelta(minutes=1))
    assert state.is_unread("c1", T0 + day + timedelta(minutes=2))
    assert state.baseline == T0 + day
    state.close()
    assert make(tmp_path).baseline == T0 + day
