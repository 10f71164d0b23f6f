"""Fault injection, rate limiting, server lifecycle, persistence and demo data generation."""

from __future__ import annotations

import os
import sqlite3
import time

import httpx
import pytest
from sandbox_support import Api, error, headers

from sendbee_tui.sandbox import SandboxServer, create_app
from sendbee_tui.sandbox.demo import DemoSize, generate
from sendbee_tui.sandbox.store import Store


def test_rate_limit_429_with_retry_after(fresh_api: Api) -> None:
    fresh_api.ok(fresh_api.post("/_sandbox/faults", {"rate_limit_per_minute": 3}))
    for _ in range(3):
        assert fresh_api.get("/rate-limit/request-test").status_code == 200
    r = fresh_api.get("/contacts")
    assert error(r, 429)["type"] == "rate_limit_exceeded"
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # Control endpoints are exempt, so a test can always lift the limit again.
    faults = fresh_api.ok(fresh_api.post("/_sandbox/faults", {"rate_limit_per_minute": None}))
    assert faults["rate_limit_per_minute"] is None
    assert fresh_api.get("/contacts").status_code == 200


def test_latency_and_error_rate(fresh_api: Api) -> None:
    # How long the latency takes is measured in benchmarks/bench_sandbox.py; that it
    # outlasts a client's patience: test_sandbox_send_faults.py.
    assert (
        fresh_api.ok(fresh_api.post("/_sandbox/faults", {"latency_ms": 150}))["latency_ms"] == 150
    )
    assert fresh_api.get("/contacts").status_code == 200
    got = fresh_api.ok(fresh_api.post("/_sandbox/faults", {"latency_ms": 0, "error_rate": 1.0}))
    assert got == {
        "latency_ms": 0,
        "error_rate": 1.0,
        "rate_limit_per_minute": None,
        "error_status": 500,
        "send_fault": None,
        "send_fault_rate": 0.0,
        "send_fault_next": 0,
    }
    err = error(fresh_api.get("/contacts"), 500)
    assert err["type"] == "server_error" and "Injected" in err["detail"]
    assert fresh_api.ok(fresh_api.get("/_sandbox/faults"))["error_rate"] == 1.0
    fresh_api.ok(fresh_api.post("/_sandbox/faults", {"error_status": 503}))
    r = fresh_api.get("/contacts")
    assert error(r, 503)["type"] == "server_error" and r.headers["Retry-After"] == "1"
    assert error(fresh_api.post("/_sandbox/faults", {"error_status": 404}), 400)["type"] == (
        "out_of_range"
    )
    fresh_api.ok(fresh_api.post("/_sandbox/faults", {"error_rate": 0}))
    assert fresh_api.get("/contacts").status_code == 200


def test_constructor_faults_and_set_faults() -> None:
    with SandboxServer(error_rate=1.0, contacts=2, conversations=2) as server:
        api = Api(server)
        assert api.get("/contacts").status_code == 500
        server.set_faults(error_status=502)
        assert api.get("/contacts").status_code == 502
        server.set_faults(error_rate=0.0, rate_limit_per_minute=1)
        assert api.get("/contacts").status_code == 200
        assert api.get("/contacts").status_code == 429
        api.close()


def test_start_stop_and_temp_db_cleanup() -> None:
    server = SandboxServer(contacts=3, conversations=3, messages_per_conversation=2)
    server.start()
    path = server.db_path
    assert os.path.exists(path) and server.port > 0
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert "sandbox-secret" not in repr(server)
    assert (
        httpx.get(
            server.base_url + "/contacts", headers=headers(server), trust_env=False
        ).status_code
        == 200
    )
    server.stop()
    assert not os.path.exists(path) and not os.path.exists(os.path.dirname(path))
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.base_url + "/contacts", trust_env=False)
    server.stop()  # idempotent


def test_explicit_db_persists_across_restarts(tmp_path) -> None:
    db = tmp_path / "keep.db"
    with SandboxServer(db, contacts=4, conversations=4) as server:
        server.inbound("+15550007777", "remember me")
    assert db.exists()
    with SandboxServer(db, contacts=4, conversations=4) as server:
        api = Api(server)
        assert api.get("/conversations").json()["meta"]["total"] == 5
        assert api.get("/conversations").json()["data"][0]["contact"]["phone"] == "+15550007777"
        api.close()
    # WAL mode, one file, readable from outside.
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_custom_credentials(tmp_path) -> None:
    with SandboxServer(api_key="k2", api_secret="s2", contacts=2, conversations=2) as server:
        assert (server.api_key, server.api_secret) == ("k2", "s2")
        api = Api(server)
        assert api.get("/contacts").status_code == 200
        api.close()


def test_demo_data_is_deterministic(tmp_path) -> None:
    """(How fast it is generated: benchmarks/bench_sandbox.py.)"""
    now = 1_800_000_000.0

    def dump(path) -> tuple[list, int]:
        store = Store(str(path), lambda: now)
        store.seed(seed=7, size=DemoSize())
        with store.read() as conn:
            rows = conn.execute("SELECT id, body, sent_at FROM messages ORDER BY n").fetchall()
            rows += conn.execute("SELECT id, keyword, text FROM templates ORDER BY seq").fetchall()
            total = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        store.close()
        return [tuple(r) for r in rows], total

    a, total = dump(tmp_path / "a.db")
    b, _ = dump(tmp_path / "b.db")
    assert a == b
    assert 2000 <= total <= 6000


def test_big_thread_and_scaling(tmp_path) -> None:
    store = Store(str(tmp_path / "big.db"), time.time)
    with store.write() as conn:
        generate(
            conn,
            seed=1,
            now=time.time(),
            size=DemoSize(
                contacts=10,
                conversations=2000,
                messages_per_conversation=2,
                big_thread_messages=5000,
            ),
        )
    with store.read() as conn:
        counts = [
            r[0]
            for r in conn.execute(
                "SELECT COUNT(*) FROM messages GROUP BY conversation_id ORDER BY 1 DESC LIMIT 1"
            )
        ]
        assert counts == [5000]
        assert conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 2000
    store.close()


def test_create_app_is_a_plain_asgi_app(tmp_path) -> None:
    app = create_app(str(tmp_path / "asgi.db"), contacts=2, conversations=2)
    assert callable(app)


def test_simulation_makes_customers_write_in() -> None:
    with SandboxServer(
        simulate=0.05, contacts=4, conversations=4, messages_per_conversation=2
    ) as server:
        api = Api(server)

        def inbound_total() -> int:
            with server.sandbox.store.read() as conn:
                return conn.execute(
                    "SELECT COUNT(*) FROM messages WHERE direction = 'inbound'"
                ).fetchone()[0]

        def written_in() -> bool:
            # Both together: the simulator counts a message only after its commit,
            # so under load the rows can be there a moment before ``sent`` is.
            return inbound_total() >= before + 3 and server.app.simulator.sent >= 3

        before = inbound_total()
        deadline = time.monotonic() + 20  # generous: loaded CI machines are slow
        while not written_in() and time.monotonic() < deadline:
            time.sleep(0.02)  # polling interval, not synchronisation
        assert written_in()
        top = api.get("/conversations").json()["data"][0]
        assert top["last_message"]["direction"] == "inbound"
        api.close()


def test_rebase_time_keeps_a_saved_demo_current(tmp_path) -> None:
    from sandbox_support import FakeClock

    db = tmp_path / "demo.db"
    clock = FakeClock()
    with SandboxServer(db, clock=clock, contacts=6, conversations=6) as server:
        assert server.time_shift_seconds == 0.0  # a new database is not moved
        api = Api(server)
        before = api.get("/conversations", limit=100).json()["data"]
        api.close()
    clock.advance(3 * 86400)
    with SandboxServer(db, clock=clock, rebase_time=True) as server:
        # Reported in whole seconds, so clients can shift their read marks exactly.
        shift = server.time_shift_seconds
        assert shift == int(shift)
        assert shift >= 3 * 86400  # at least the time that passed
        api = Api(server)
        after = api.get("/conversations", limit=100).json()["data"]
        assert [c["id"] for c in after] == [c["id"] for c in before]
        # The most recent customer can be answered again without a template.
        top = next(c for c in after if c["last_message"]["direction"] == "inbound")
        sent = api.post(
            "/conversations/messages/send", {"phone": top["contact"]["phone"], "text": "still here"}
        )
        assert sent.status_code == 200, sent.text
        api.close()


def test_older_database_is_migrated(tmp_path) -> None:
    path = str(tmp_path / "old.db")
    store = Store(path, time.time)
    store.seed(seed=3, size=DemoSize(2, 2, 2))
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE messages DROP COLUMN is_template")
    conn.commit()
    conn.close()
    with SandboxServer(path) as server:
        api = Api(server)
        conv = api.get("/conversations").json()["data"][0]
        server.inbound(conv["contact"]["phone"], "after the upgrade")
        r = api.post(
            "/conversations/messages/send", {"phone": conv["contact"]["phone"], "text": "works"}
        )
        assert r.status_code == 200, r.text
        api.close()


def test_options_are_checked_when_the_server_is_made() -> None:
    """One list of options (SandboxOptions) serves build() and SandboxServer alike."""
    from sendbee_tui.sandbox import SandboxOptions

    with pytest.raises(TypeError):
        SandboxServer(contcts=3)  # misspelt: fails before anything is started
    assert SandboxOptions().contacts == 40
    assert "secret" not in repr(SandboxOptions(api_secret="do-not-show-secret"))
