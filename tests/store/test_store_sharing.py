"""Several connections and processes on one database; durability; the JSON migration."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sendbee_tui.store import MIGRATED_SUFFIX, LocalStore, owner_id

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_connections_see_each_others_writes(tmp_path: Path) -> None:
    one, two = LocalStore(tmp_path, fsync=False), LocalStore(tmp_path, fsync=False)
    a, b = one.account("acct"), two.account("acct")
    b.auto_refresh = None  # refresh by hand here, to see exactly when it happens
    assert b.refresh_if_changed() is False
    a.mark_unread("c1")
    a.set_setting("folder", "done")
    a.set_flag("c2", "prevent_bot_off", True)
    assert not b.is_unread("c1", None)  # cached until refreshed
    assert b.refresh_if_changed() is True
    assert b.is_unread("c1", None) and b.get_setting("folder") == "done"
    assert b.flagged("prevent_bot_off") == {"c2"}
    assert b.refresh_if_changed() is False  # nothing new: one pragma, no reload
    one.account("other").mark_unread("x")  # another account: no reload of ours
    assert b.refresh_if_changed() is False
    a.auto_refresh = 0.0  # every read checks for changes
    b.mark_read("c1")  # b writes; a's next read sees it
    assert not a.is_unread("c1", None)
    a.set_draft("c3", "typed in window one")
    a.flush()
    a.set_draft("c4", "not saved yet")
    b.refresh_if_changed()
    assert b.get_draft("c3") == "typed in window one" and b.get_draft("c4") == ""
    one.close()
    two.close()


KILLED_WRITER = """
import sys, time
from sendbee_tui.store import LocalStore
store = LocalStore(sys.argv[1])  # fsync on: the real settings
table = store.outbox_table("acct")
table.insert(id="e1", conversation_id="c1", phone="+385911234567", kind="text",
             payload={"text": "durable"}, state="queued", created_at=1.0)
table.transition("e1", ["queued"], state="sending", attempted_at=2.0, attempts=1)
print("written", flush=True)
time.sleep(60)
"""


def test_an_outbox_write_survives_kill_9(tmp_path: Path) -> None:
    proc = run_python(KILLED_WRITER, str(tmp_path))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "written", proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    with LocalStore(tmp_path) as store:
        row = store.outbox_table("acct").get("e1")
    assert row is not None
    assert (row["state"], row["attempts"], row["payload"]) == ("sending", 1, {"text": "durable"})


EXITING_WRITER = """
import os, sys
from sendbee_tui.store import LocalStore
state = LocalStore(sys.argv[1]).account("acct", debounce=60)
state.mark_unread("c1")
state.set_draft("c2", "flushed")
state.flush()
state.set_draft("c3", "still in memory")
os._exit(0)
"""


def test_os_exit_keeps_committed_state_and_loses_only_the_unflushed_draft(tmp_path: Path) -> None:
    proc = run_python(EXITING_WRITER, str(tmp_path))
    assert proc.wait(30) == 0, proc.stderr.read() if proc.stderr else ""
    state = LocalStore(tmp_path).account("acct")
    assert state.is_unread("c1", None)
    assert state.get_draft("c2") == "flushed"
    assert state.get_draft("c3") == ""


CONCURRENT_WRITER = """
import sys
from sendbee_tui.store import LocalStore
path, me = sys.argv[1], sys.argv[2]
store = LocalStore(path, busy_timeout=30)
state = store.account("acct", debounce=0)
table = store.outbox_table("acct")
for i in range(150):
    state.mark_read(f"{me}-{i}", float(i))
    state.mark_read("shared", float(i) + (0.5 if me == "b" else 0.0))
    state.set_draft(f"{me}-draft", f"{me} {i}")
    table.insert(id=f"{me}-{i}", conversation_id="c", phone="+385911234567", kind="text",
                 payload={"text": str(i)}, state="queued", created_at=float(i))
store.close()
print("done", flush=True)
"""


def test_two_processes_write_at_once_without_losing_anything(tmp_path: Path) -> None:
    LocalStore(tmp_path).close()  # schema first, so both children race only on data
    procs = [run_python(CONCURRENT_WRITER, str(tmp_path), me) for me in ("a", "b")]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "done", err
    with LocalStore(tmp_path) as store:
        state = store.account("acct")
        rows = store.outbox_table("acct").rows()
        assert len(rows) == 300 and len({r["seq"] for r in rows}) == 300
        assert [r["seq"] for r in rows] == sorted(r["seq"] for r in rows)
        for me in ("a", "b"):
            assert not state.is_unread(f"{me}-149", 149.0)
            assert state.is_unread(f"{me}-149", 149.5)
            assert state.get_draft(f"{me}-draft") == f"{me} 149"
        assert not state.is_unread("shared", 149.5)  # read marks only move forward


def test_legacy_json_is_imported_once_and_merged(tmp_path: Path) -> None:
    legacy = tmp_path / "state" / "shop.json"
    legacy.parent.mkdir()
    legacy.write_text(
        json.dumps(
            {
                "version": 1,
                "baseline": 1000.0,
                "drafts": {"c1": "old draft", "c2": "loses to the newer one"},
                "read": {"c1": 1500.0, "c3": 900.0},
                "unread": ["c4"],
                "settings": {"folder": "done", "sort": {"key": "window"}},
            }
        )
    )
    store = LocalStore(tmp_path / "data", fsync=False, clock=lambda: 5000.0)
    state = store.account("acct")
    state.set_draft("c2", "newer draft")
    state.flush()
    state.mark_read("c3", 2000.0)
    assert state.import_legacy_json(legacy) is True
    assert not legacy.exists()
    assert legacy.with_name("shop.json" + MIGRATED_SUFFIX).exists()
    assert state.import_legacy_json(legacy) is False  # once
    assert state.baseline.timestamp() == 1000.0  # the older file knew the account longer
    assert state.get_draft("c1") == "old draft" and state.get_draft("c2") == "newer draft"
    assert not state.is_unread("c1", 1500.0) and state.is_unread("c1", 1501.0)
    assert not state.is_unread("c3", 2000.0)  # the later mark wins
    assert state.is_unread("c4", None)
    assert state.get_setting("folder") == "done"
    assert state.get_setting("sort") == {"key": "window"}
    store.close()
    assert LocalStore(tmp_path / "data").account("acct").get_draft("c1") == "old draft"


def test_an_unreadable_legacy_file_is_left_alone(tmp_path: Path) -> None:
    legacy = tmp_path / "shop.json"
    legacy.write_text("{not json")
    state = LocalStore(tmp_path / "data", fsync=False).account("acct")
    assert state.import_legacy_json(legacy) is False
    assert legacy.exists()
    assert state.import_legacy_json(tmp_path / "missing.json") is False


def test_the_sending_lease_has_one_holder(tmp_path: Path) -> None:
    now = [100.0]
    one = LocalStore(tmp_path, fsync=False, clock=lambda: now[0])
    two = LocalStore(tmp_path, fsync=False, clock=lambda: now[0])
    assert one.try_lease("outbox:acct", "me:1:a", 10)
    assert not two.try_lease("outbox:acct", "me:2:b", 10)  # not a local pid: alive
    assert one.try_lease("outbox:acct", "me:1:a", 10)  # renewal
    now[0] += 11
    assert two.try_lease("outbox:acct", "me:2:b", 10)  # expired: taken over
    assert one.lease_holder("outbox:acct") == "me:2:b"
    two.release_lease("outbox:acct", "me:2:b")
    assert one.lease_holder("outbox:acct") is None
    one.close()
    two.close()


def test_a_dead_local_process_does_not_block_the_lease(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    host = owner_id().split(":")[0]
    with LocalStore(tmp_path, fsync=False) as store:
        assert store.try_lease("outbox:acct", f"{host}:{proc.pid}:dead", 3600)
        assert store.try_lease("outbox:acct", owner_id(), 10)  # its holder is gone


def test_outbox_rows_compare_and_set_leases_and_claims(tmp_path: Path) -> None:
    now = [100.0]
    store = LocalStore(tmp_path, fsync=False, clock=lambda: now[0])
    other = LocalStore(tmp_path, fsync=False, clock=lambda: now[0])
    table, mirror = store.outbox_table("acct"), other.outbox_table("acct")
    fields = {"conversation_id": "c", "phone": "+385911234567", "kind": "text"}
    for n in (1, 2):
        table.insert(id=f"e{n}", payload={"text": "ok"}, state="queued", created_at=1.0, **fields)
    revision = mirror.revision()
    store.account("acct").mark_unread("c")  # not an outbox write
    assert mirror.revision() == revision
    lease = ("outbox:acct", "me:1:a")
    assert table.transition("e1", ["queued"], lease=lease, state="sending") is None  # no lease
    assert store.try_lease(*lease, 10)
    row = table.transition("e1", ["queued"], lease=lease, state="sending", attempts=1)
    assert row is not None and row["state"] == "sending" and mirror.revision() > revision
    assert table.transition("e1", ["queued"], state="failed") is None  # not queued any more
    table.transition("e1", ["sending"], state="sent", server_message_id="m1")
    with pytest.raises(sqlite3.IntegrityError):
        mirror.transition("e2", ["queued"], state="sent", server_message_id="m1")
    assert mirror.get("e2")["state"] == "queued"  # type: ignore[index]
    assert table.claimed_ids() == {"m1"}
    assert table.delete("e1", ["queued"]) is None
    now[0] += 1000
    assert table.prune(["sent"], older_than=now[0] - 10) == 1
    assert [r["id"] for r in mirror.rows()] == ["e2"]
    with pytest.raises(ValueError):
        table.transition("e2", ["queued"], account="elsewhere")
    store.close()
    other.close()
