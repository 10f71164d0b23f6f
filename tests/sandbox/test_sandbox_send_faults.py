"""Send faults for exactly-once testing, and requests that end without an answer.

Plain httpx against a real server: a faulted send is committed (its message
row exists) and the client sees a dropped connection or a timeout; stopping
the server ends a held request at once; a client leaving during injected
latency, or a malformed chunked body, costs one log line and no traceback.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sandbox_support import Api, ServerLogs, error, headers

from sendbee_tui.sandbox import SandboxServer

PHONE = "+385917770001"
SEND = "/conversations/messages/send"
TEMPLATE_SEND = "/conversations/messages/templates/send"


@pytest.fixture
def faulty() -> Iterator[tuple[SandboxServer, Api, ServerLogs]]:
    """A server of its own with one customer who just wrote in (the window is open)."""
    server = SandboxServer(contacts=4, conversations=4, messages_per_conversation=2)
    server.start()
    logs = ServerLogs().attach()
    server.inbound(PHONE, "hello", name="Outbox Test")
    api = Api(server)
    yield server, api, logs
    api.close()
    logs.detach()
    server.stop()


def bodies(api: Api) -> list[str]:
    conv = api.get("/conversations", search_query=PHONE).json()["data"][0]
    msgs = api.get("/conversations/messages", conversation_id=conv["id"], limit=100)
    return [m["body"] for m in msgs.json()["data"]]


def no_complaints(logs: ServerLogs) -> None:
    """Nothing that looks like a bug: no traceback, no uvicorn protest about the app."""
    assert not [r for r in logs.records if r.exc_info], logs.lines()
    assert not [line for line in logs.lines() if "ASGI callable" in line or "bug" in line]


def test_drop_commits_the_send_then_closes_without_a_response(faulty) -> None:
    _server, api, logs = faulty
    api.ok(api.post("/_sandbox/faults", {"send_fault": "drop", "send_fault_next": 1}))
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(SEND, {"phone": PHONE, "text": "sent exactly once"})
    assert bodies(api).count("sent exactly once") == 1
    faults = api.ok(api.get("/_sandbox/faults"))
    assert (faults["send_fault"], faults["send_fault_next"]) == ("drop", 0)
    # The count is used up: the next send is answered as usual.
    assert api.ok(api.post(SEND, {"phone": PHONE, "text": "answered"}))["message_id"]
    assert "answered" in bodies(api)
    logs.wait_for("send fault 'drop'")
    no_complaints(logs)


def test_template_sends_are_hit_by_rate_and_rejected_sends_are_not(faulty) -> None:
    _server, api, logs = faulty
    api.ok(api.post("/_sandbox/faults", {"send_fault": "drop", "send_fault_rate": 1.0}))
    template = {"phone": PHONE, "template_keyword": "welcome", "language": "en"}
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(TEMPLATE_SEND, {**template, "tags": {"1": "Ana", "2": "the shop"}})
    assert any(b.startswith("Hello Ana, welcome to the shop!") for b in bodies(api))
    # Nothing committed, nothing withheld: a rejected send still gets its error.
    assert error(api.post(TEMPLATE_SEND, {**template, "tags": {"1": "Ana"}}), 422)["type"] == (
        "missing_template_tags"
    )
    off = api.ok(api.post("/_sandbox/faults", {"send_fault": None}))
    assert (off["send_fault"], off["send_fault_rate"], off["send_fault_next"]) == (None, 0.0, 0)
    assert api.ok(api.post(SEND, {"phone": PHONE, "text": "back to normal"}))["message_id"]
    no_complaints(logs)


def test_hang_commits_then_holds_until_the_client_gives_up(faulty) -> None:
    _server, api, logs = faulty
    api.ok(api.post("/_sandbox/faults", {"send_fault": "hang", "send_fault_next": 1}))
    with pytest.raises(httpx.ReadTimeout):
        api.post(SEND, {"phone": PHONE, "text": "held"}, timeout=0.5)
    assert bodies(api).count("held") == 1
    assert logs.wait_for("ended: the client gave up").levelno == logging.INFO
    assert api.ok(api.post(SEND, {"phone": PHONE, "text": "not held"}))["message_id"]
    no_complaints(logs)


def test_stop_ends_a_held_request_at_once() -> None:
    server = SandboxServer(contacts=2, conversations=2, send_fault="hang", send_fault_rate=1.0)
    server.start()
    logs = ServerLogs().attach()
    try:
        server.inbound(PHONE, "hi")
        failures: list[Exception] = []

        def send() -> None:
            try:  # no client timeout to speak of: only the server can end this
                httpx.post(
                    server.base_url + SEND,
                    json={"phone": PHONE, "text": "held at shutdown"},
                    headers=headers(server),
                    timeout=120,
                    trust_env=False,
                )
            except httpx.HTTPError as exc:
                failures.append(exc)

        thread = threading.Thread(target=send)
        thread.start()
        logs.wait_for("holding the response")
        server.stop()
        thread.join(30)
        assert not thread.is_alive()
        assert len(failures) == 1 and isinstance(failures[0], httpx.RemoteProtocolError)
        assert any("the server is stopping" in line for line in logs.lines())
        # uvicorn never had to give up waiting for it (its graceful timeout cancels tasks).
        assert not [line for line in logs.lines() if "graceful shutdown" in line]
        no_complaints(logs)
    finally:
        logs.detach()
        server.stop()


def test_client_leaving_during_latency_is_one_line_and_not_carried_out(faulty) -> None:
    _server, api, logs = faulty
    api.ok(api.post("/_sandbox/faults", {"latency_ms": 30000}))
    mark = len(logs.records)
    with pytest.raises(httpx.ReadTimeout):
        api.post("/contacts/tags", {"name": "too-late"}, timeout=0.3)
    record = logs.wait_for("went away during the injected latency")
    assert record.levelno == logging.INFO and record.exc_info is None
    assert [r.getMessage() for r in logs.records[mark:] if r.levelno >= logging.INFO] == [
        record.getMessage()
    ]
    api.ok(api.post("/_sandbox/faults", {"latency_ms": 0}))
    assert api.get("/contacts/tags", name="too-late").json()["data"] == []


def test_malformed_chunked_body_is_one_line(faulty) -> None:
    server, _api, logs = faulty
    mark = len(logs.records)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers(server).items())
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(
            f"POST /contacts/tags HTTP/1.1\r\nHost: sandbox\r\n{head}"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            "zz\r\nnot a chunk\r\n0\r\n\r\n".encode()
        )
        answer = conn.recv(1000)
    assert answer.startswith(b"HTTP/1.1 400")
    logs.wait_for("went away while sending")  # the route ran and ended quietly
    assert [r.getMessage() for r in logs.records[mark:] if r.levelno >= logging.INFO] == [
        "Invalid HTTP request received."
    ]
    no_complaints(logs)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"send_fault": "explode"}, "drop, hang"),
        ({"send_fault_rate": 0.5}, "'send_fault'"),
        ({"send_fault_next": 3}, "'send_fault'"),
        ({"send_fault": "drop", "send_fault_rate": 2}, "between 0 and 1"),
        ({"send_fault": "drop", "send_fault_next": -1}, "'send_fault_next'"),
    ],
)
def test_send_fault_settings_are_checked(
    sandbox: SandboxServer, body: dict[str, Any], needle: str
) -> None:
    api = Api(sandbox)
    assert needle in error(api.post("/_sandbox/faults", body), 400)["detail"]
    assert api.ok(api.get("/_sandbox/faults"))["send_fault"] is None  # nothing half-applied
    api.close()


def test_send_faults_from_python() -> None:
    with pytest.raises(ValueError):
        SandboxServer(send_fault="explode")
    with SandboxServer(contacts=2, conversations=2, send_fault="drop", send_fault_next=2) as server:
        api = Api(server)
        assert api.ok(api.get("/_sandbox/faults"))["send_fault_next"] == 2
        server.set_faults(send_fault="hang", send_fault_rate=0.25)
        faults = api.ok(api.get("/_sandbox/faults"))
        assert (faults["send_fault"], faults["send_fault_rate"]) == ("hang", 0.25)
        server.set_faults(send_fault=None)
        faults = api.ok(api.get("/_sandbox/faults"))
        assert (faults["send_fault"], faults["send_fault_rate"], faults["send_fault_next"]) == (
            None,
            0.0,
            0,
        )
        api.close()
