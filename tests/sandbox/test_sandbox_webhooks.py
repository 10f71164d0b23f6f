"""Webhooks: delivered in the background to a local receiver, signed, retried."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sandbox_support import Api

from sendbee_tui.api import SendbeeAuth
from sendbee_tui.sandbox import SandboxServer


class Receiver:
    """A webhook endpoint on loopback that records requests; can fail or stall on demand."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_first = 0
        #: While set, every request waits for it before being answered (a stalled receiver).
        self.gate: threading.Event | None = None
        self.cond = threading.Condition()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.gate is not None:
                    outer.gate.wait(30)
                with outer.cond:
                    failing = outer.fail_first > 0
                    outer.fail_first -= 1
                    outer.requests.append(
                        {
                            "headers": dict(self.headers),
                            "body": json.loads(body),
                            "answered": 500 if failing else 200,
                        }
                    )
                    outer.cond.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def wait_for(self, predicate, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.cond:
            assert self.cond.wait_for(lambda: predicate(self.requests), timeout), self.requests
            return list(self.requests)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hooked() -> Iterator[tuple[SandboxServer, Api]]:
    server = SandboxServer(
        contacts=8,
        conversations=8,
        messages_per_conversation=4,
        delivery_delay=0.05,
        read_delay=0.1,
        webhook_backoff=(0.05, 0.05),
    )
    server.start()
    api = Api(server)
    yield server, api
    api.close()
    server.stop()


def _types(reqs: list[dict[str, Any]]) -> list[str]:
    return [r["body"]["type"] for r in reqs]


def test_events_are_delivered_signed_and_verifiable(hooked, receiver: Receiver) -> None:
    server, api = hooked
    events = [
        "message.received",
        "contact.created",
        "message.sent",
        "message.sent_status",
        "conversation.change_folder",
    ]
    hook = None
    for event in events:
        hook = api.ok(api.post("/webhooks/subscribe", {"url": receiver.url, "event": event}))
    assert hook is not None and hook["selected_webhooks"] == events

    inbound = api.ok(
        api.post(
            "/_sandbox/inbound", {"phone": "+385917778888", "text": "Hi [b]x[/b]", "name": "Hook"}
        )
    )
    api.ok(api.post("/conversations/messages/send", {"phone": "+385917778888", "text": "reply"}))
    api.ok(
        api.post("/conversation", {"conversation_id": inbound["conversation_id"], "folder": "done"})
    )

    reqs = receiver.wait_for(
        lambda rs: (
            {"read", "delivered"}
            <= {
                r["body"]["data"]["message"]["status"]
                for r in rs
                if r["body"]["type"] == "message.sent_status"
            }
            and len({r["body"]["type"] for r in rs}) == len(events)
        )
    )
    assert set(_types(reqs)) == set(events)
    account = SendbeeAuth(server.api_secret)
    endpoint = SendbeeAuth(hook["secret_key"])
    for r in reqs:
        assert account.verify(r["headers"]["X-Authorization"])
        assert endpoint.verify(r["headers"]["X-Auth-Token"])
        assert not account.verify(r["headers"]["X-Auth-Token"])
        assert isinstance(r["body"]["created_at"], int)
    received = next(r["body"] for r in reqs if r["body"]["type"] == "message.received")
    assert received["data"]["message"]["body"] == "Hi [b]x[/b]"
    assert received["data"]["contact"]["name"] == "Hook"
    folder = next(r["body"] for r in reqs if r["body"]["type"] == "conversation.change_folder")
    assert folder["data"]["folder"] == "done"


def test_failed_deliveries_are_retried(hooked, receiver: Receiver) -> None:
    server, api = hooked
    receiver.fail_first = 2
    api.ok(api.post("/webhooks/subscribe", {"url": receiver.url, "event": "message.received"}))
    server.inbound("+385917770000", "retry me")
    reqs = receiver.wait_for(lambda rs: any(r["answered"] == 200 for r in rs))
    assert [r["answered"] for r in reqs] == [500, 500, 200]
    server.wait_for_webhooks()
    log = api.ok(api.get("/_sandbox/webhook-deliveries"))
    assert log[-1]["delivered"] is True and log[-1]["attempts"] == 3


def test_slow_receiver_never_blocks_the_api(hooked, receiver: Receiver) -> None:
    """The receiver answers only after the API calls returned: a webhook delivery on the
    request path would deadlock here (until the client's timeout), not just be slow."""
    _server, api = hooked
    receiver.gate = threading.Event()
    api.ok(api.post("/webhooks/subscribe", {"url": receiver.url, "event": "message.received"}))
    api.ok(api.post("/_sandbox/inbound", {"phone": "+385917771111", "text": "fast?"}))
    assert api.get("/conversations").status_code == 200
    assert receiver.requests == []  # still held at the gate
    receiver.gate.set()
    receiver.wait_for(lambda rs: len(rs) == 1)


def test_unreachable_receiver_gives_up_quietly(hooked) -> None:
    server, api = hooked
    api.ok(
        api.post(
            "/webhooks/subscribe",
            {"url": "http://127.0.0.1:9/nothing-here", "event": "message.received"},
        )
    )
    server.inbound("+385917772222", "anyone?")
    server.wait_for_webhooks()
    log = api.ok(api.get("/_sandbox/webhook-deliveries"))
    assert log[-1]["delivered"] is False and log[-1]["attempts"] == 3
    assert api.get("/conversations").status_code == 200


def test_template_and_session_status_events_are_distinct(hooked, receiver: Receiver) -> None:
    _server, api = hooked
    for event in (
        "whatsapp.message.template.sent_status",
        "whatsapp.message.session.sent_status",
        "contact.created",
    ):
        api.ok(api.post("/webhooks/subscribe", {"url": receiver.url, "event": event}))
    sent = api.ok(
        api.post(
            "/conversations/messages/templates/send",
            {
                "phone": "+15550006666",
                "template_keyword": "welcome",
                "language": "en",
                "tags": {"1": "A", "2": "B"},
            },
        )
    )
    reqs = receiver.wait_for(
        lambda rs: (
            sum(r["body"]["type"] == "whatsapp.message.template.sent_status" for r in rs) >= 2
        )
    )
    types = _types(reqs)
    assert "whatsapp.message.session.sent_status" not in types
    assert "contact.created" in types
    statuses = [
        r["body"]["data"]["message"]["status"]
        for r in reqs
        if r["body"]["type"] == "whatsapp.message.template.sent_status"
    ]
    # Deliveries run concurrently, so arrival order is not guaranteed (as with real webhooks).
    assert sorted(statuses) == ["delivered", "read"]
    assert all(
        r["body"]["data"]["message"]["id"] == sent["message_id"]
        for r in reqs
        if r["body"]["type"] != "contact.created"
    )
