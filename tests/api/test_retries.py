"""Retry policy: what is retried, how long it waits, and that a send is never
repeated once it may have reached the server.

Statuses and dropped connections come from the real loopback server; httpx's
MockTransport is used only to produce transport faults that a loopback server
cannot produce on demand (connect timeouts, pool timeouts, read timeouts)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import httpx
import pytest
from apitest_support import FakeSleep, Recorder, Reply

from sendbee_tui.api import (
    APIConnectionError,
    APITimeoutError,
    RateLimitError,
    RetryEvent,
    RetryPolicy,
    SendbeeClient,
    ServerError,
)
from sendbee_tui.api.retry import parse_retry_after

MakeClient = Callable[..., SendbeeClient]
SEND = "/conversations/messages/send"
OK_SENT = Reply(body={"data": {"id": "conv", "message_id": "m", "status": "sent"}})


@pytest.mark.parametrize("status", [429, 502, 503, 504])
async def test_get_retried_on_transient_status(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep, status: int
) -> None:
    events: list[RetryEvent] = []
    client = make_client(recorder.base_url, on_retry=events.append)
    recorder.reply("GET", "/contacts", Reply(status=status, body={"detail": "later"}))
    page = await client.contacts.list()
    assert page.items == []
    assert len(recorder.requests) == 2
    assert len(fake_sleep.delays) == 1
    assert events == [RetryEvent("GET", "/contacts", 1, fake_sleep.delays[0], f"HTTP {status}")]


@pytest.mark.parametrize("status", [400, 401, 404, 500, 501])
async def test_get_not_retried_on_other_errors(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep, status: int
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("GET", "/contacts", Reply(status=status))
    with pytest.raises(Exception):  # noqa: B017 - the class is tested elsewhere
        await client.contacts.list()
    assert len(recorder.requests) == 1 and fake_sleep.delays == []


async def test_put_and_delete_are_retried(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("PUT", "/contacts/tags", Reply(status=503))
    recorder.reply("DELETE", "/contacts/tags", Reply(status=502))
    recorder.always("PUT", "/contacts/tags", Reply(body={"data": {"id": "t"}}))
    recorder.always("DELETE", "/contacts/tags", Reply(body={"message": "deleted"}))
    await client.tags.update("t", "x")
    await client.tags.delete("t")
    assert [r.method for r in recorder.requests] == ["PUT", "PUT", "DELETE", "DELETE"]
    # The retried DELETE carries the same JSON body.
    assert recorder.requests[2].body == recorder.requests[3].body == b'{"id":"t"}'


async def test_retry_after_is_honoured(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply(
        "GET",
        "/contacts",
        Reply(status=429, headers={"Retry-After": "3"}),
        Reply(status=429, headers={"Retry-After": "0.5"}),
    )
    await client.contacts.list()
    assert fake_sleep.delays == [3.0, 0.5]


async def test_retry_after_above_cap_raises_at_once(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(recorder.base_url)
    recorder.always("GET", "/contacts", Reply(status=429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimitError) as info:
        await client.contacts.list()
    assert info.value.retry_after == 120
    assert len(recorder.requests) == 1 and fake_sleep.delays == []


async def test_retry_after_cap_is_configurable(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(
        recorder.base_url, retry_policy=RetryPolicy(max_retries=1, max_retry_after=200)
    )
    recorder.reply("GET", "/contacts", Reply(status=429, headers={"Retry-After": "120"}))
    await client.contacts.list()
    assert fake_sleep.delays == [120.0]


def test_parse_retry_after_forms() -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert parse_retry_after("5") == 5.0
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=9), usegmt=True), now=now) == 9.0
    )
    assert (
        parse_retry_after(format_datetime(now - timedelta(seconds=9), usegmt=True), now=now) == 0.0
    )
    assert parse_retry_after("-3") == 0.0
    for junk in (None, "", "soon", "nan", "inf"):
        assert parse_retry_after(junk) is None


async def test_max_retries_and_exponential_backoff(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    policy = RetryPolicy(max_retries=3, base_delay=1.0, max_delay=3.0, random=lambda: 1.0)
    client = make_client(recorder.base_url, retry_policy=policy)
    recorder.always("GET", "/contacts", Reply(status=503, body={"detail": "down"}))
    with pytest.raises(ServerError, match="down"):
        await client.contacts.list()
    assert len(recorder.requests) == 4
    assert fake_sleep.delays == [1.0, 2.0, 3.0]  # 1, 2, 4 capped at 3


def test_jitter_bounds() -> None:
    low = RetryPolicy(base_delay=2.0, random=lambda: 0.0)
    high = RetryPolicy(base_delay=2.0, random=lambda: 0.999999)
    for attempt in (1, 2, 3):
        ceiling = min(8.0, 2.0 * 2 ** (attempt - 1))
        assert low.backoff(attempt) == ceiling / 2
        assert ceiling / 2 < high.backoff(attempt) < ceiling
    default = RetryPolicy()
    delays = {default.backoff(1) for _ in range(20)}
    assert len(delays) > 1 and all(0.25 <= d <= 0.5 for d in delays)


async def test_max_retries_zero_means_one_attempt(
    recorder: Recorder, make_client: MakeClient
) -> None:
    client = make_client(recorder.base_url, max_retries=0)
    recorder.always("GET", "/contacts", Reply(status=503))
    with pytest.raises(ServerError):
        await client.contacts.list()
    assert len(recorder.requests) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_send_never_retried_after_a_response(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep, status: int
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("POST", SEND, Reply(status=status, headers={"Retry-After": "1"}))
    recorder.always("POST", SEND, OK_SENT)
    with pytest.raises(Exception):  # noqa: B017
        await client.messages.send(phone="+385911234567", text="only once")
    assert len(recorder.requests) == 1 and fake_sleep.delays == []


@pytest.mark.parametrize(
    ("path", "call"),
    [
        (SEND, lambda c: c.messages.send(phone="+385911234567", text="only once")),
        (
            "/conversations/messages/templates/send",
            lambda c: c.messages.send_template(phone="+385911234567", keyword="k", language="en"),
        ),
        ("/contacts/subscribe", lambda c: c.contacts.subscribe(phone="+385911234567")),
        (
            "/webhooks/subscribe",
            lambda c: c.webhooks.subscribe("https://x.test/h", "message.received"),
        ),
        ("/contacts/tags", lambda c: c.tags.create("vip")),
        ("/contacts/fields", lambda c: c.fields.create("Size", "text")),
        ("/conversation", lambda c: c.conversations.move("conv", "done")),
    ],
)
async def test_post_not_retried_when_connection_drops_after_write(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep, path: str, call
) -> None:
    """The server reads the whole request, then hangs up without answering: the
    message may have been sent, so the client must report, not repeat."""
    client = make_client(recorder.base_url)
    recorder.reply("POST", path, Reply(drop=True))
    recorder.always("POST", path, OK_SENT)
    with pytest.raises(APIConnectionError) as info:
        await call(client)
    assert info.value.request_sent is True
    assert len(recorder.requests) == 1
    assert fake_sleep.delays == []


async def test_get_retried_when_connection_drops(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("GET", "/contacts", Reply(drop=True))
    await client.contacts.list()
    assert len(recorder.requests) == 2 and len(fake_sleep.delays) == 1


async def test_real_connect_error_is_retried_even_for_send(
    make_client: MakeClient, fake_sleep: FakeSleep, refused_url: str
) -> None:
    events: list[RetryEvent] = []
    client = make_client(refused_url, on_retry=events.append)
    with pytest.raises(APIConnectionError) as info:
        await client.messages.send(phone="+385911234567", text="hi")
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request_sent is False
    assert [e.reason for e in events] == ["ConnectError"] * 3
    assert len(fake_sleep.delays) == 3


class FaultThenOk(httpx.AsyncBaseTransport):
    """Raises the given faults in order, then answers with a sent message."""

    def __init__(self, *faults: type[httpx.TransportError]) -> None:
        self.faults = list(faults)
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.faults:
            raise self.faults.pop(0)("simulated fault", request=request)
        return httpx.Response(200, json={"data": {"id": "conv", "message_id": "m"}})


@pytest.mark.parametrize("fault", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_send_retried_when_nothing_was_written(
    make_client: MakeClient, fake_sleep: FakeSleep, fault: type[httpx.TransportError]
) -> None:
    transport = FaultThenOk(fault, fault)
    client = make_client(transport=transport)
    sent = await client.messages.send(phone="+385911234567", text="hi")
    assert sent.conversation_id == "conv"
    assert transport.calls == 3 and len(fake_sleep.delays) == 2


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.WriteTimeout, APITimeoutError),
        (httpx.ReadError, APIConnectionError),
        (httpx.WriteError, APIConnectionError),
        (httpx.RemoteProtocolError, APIConnectionError),
    ],
)
async def test_send_not_retried_when_request_may_have_been_written(
    make_client: MakeClient,
    fake_sleep: FakeSleep,
    fault: type[httpx.TransportError],
    expected: type[Exception],
) -> None:
    transport = FaultThenOk(fault)
    client = make_client(transport=transport)
    for call in (
        lambda: client.messages.send(phone="+385911234567", text="hi"),
        lambda: client.messages.send_template(phone="+385911234567", keyword="k", language="en"),
        lambda: client.contacts.subscribe(phone="+385911234567"),
    ):
        transport.faults = [fault]
        transport.calls = 0
        with pytest.raises(expected) as info:
            await call()
        assert info.value.request_sent is True
        assert transport.calls == 1
    assert fake_sleep.delays == []


@pytest.mark.parametrize(
    "fault", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError]
)
async def test_get_retried_on_transport_errors(
    make_client: MakeClient, fake_sleep: FakeSleep, fault: type[httpx.TransportError]
) -> None:
    transport = FaultThenOk(fault)
    client = make_client(transport=transport)
    await client.chatbot.status("conv")
    assert transport.calls == 2


async def test_timeout_after_all_retries_is_api_timeout_error(
    make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    transport = FaultThenOk(*[httpx.ReadTimeout] * 10)
    client = make_client(transport=transport, max_retries=2)
    with pytest.raises(APITimeoutError, match="timed out"):
        await client.contacts.list()
    assert transport.calls == 3


async def test_async_on_retry_and_failing_callback(
    recorder: Recorder, make_client: MakeClient
) -> None:
    seen: list[int] = []

    async def async_cb(event: RetryEvent) -> None:
        seen.append(event.attempt)

    client = make_client(recorder.base_url, on_retry=async_cb)
    recorder.reply("GET", "/contacts", Reply(status=503), Reply(status=503))
    await client.contacts.list()
    assert seen == [1, 2]

    def broken(event: RetryEvent) -> None:
        raise RuntimeError("UI gone")

    client2 = make_client(recorder.base_url, on_retry=broken)
    recorder.reply("GET", "/contacts", Reply(status=503))
    await client2.contacts.list()  # the callback's failure does not fail the request


async def test_real_read_timeout(recorder: Recorder, make_client: MakeClient) -> None:
    """A server that never answers: the configured timeout applies (real socket)."""
    import threading

    hold = threading.Event()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def accept() -> None:
        conn, _ = listener.accept()
        hold.wait(5)
        conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    client = make_client(f"http://127.0.0.1:{port}", timeout=0.2)
    try:
        with pytest.raises(APITimeoutError):
            await client.messages.send(phone="+385911234567", text="hi")
    finally:
        hold.set()
        thread.join(2)
        listener.close()


async def test_undecodable_body_is_a_connection_error_not_a_raw_httpx_one(
    recorder: Recorder, make_client: MakeClient, fake_sleep: FakeSleep
) -> None:
    client = make_client(recorder.base_url)
    # Claims gzip, sends plain JSON: httpx raises DecodingError while reading.
    recorder.always("GET", "/contacts", Reply(headers={"Content-Encoding": "gzip"}))
    with pytest.raises(APIConnectionError, match="DecodingError"):
        await client.contacts.list()
    assert len(recorder.requests) == 1 and fake_sleep.delays == []
