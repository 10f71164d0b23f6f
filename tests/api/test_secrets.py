"""The API secret, the API key and X-Auth-Token values never appear in logs
(ours, httpx's, httpcore's at DEBUG), reprs, exception texts or tracebacks."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import httpx
import pytest
from apitest_support import API_KEY, API_SECRET, Recorder, Reply

from sendbee_tui.api import (
    APIConnectionError,
    RateLimitError,
    RedactionFilter,
    SendbeeAuth,
    SendbeeClient,
    ValidationError,
)
from sendbee_tui.api.redaction import REDACTED, redact

MakeClient = Callable[..., SendbeeClient]
LOGGERS = ("sendbee_tui.api", "httpx", "httpcore")


def _forbidden(recorder: Recorder) -> list[str]:
    tokens = [r.headers["x-auth-token"] for r in recorder.requests]
    return [API_KEY, API_SECRET, *tokens]


def _assert_clean(text: str, forbidden: list[str]) -> None:
    for secret in forbidden:
        assert secret not in text


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


async def test_nothing_leaks_during_a_busy_session(
    recorder: Recorder,
    make_client: MakeClient,
    debug_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("GET", "/contacts", Reply(status=503), Reply(body={"data": [{"id": "c"}]}))
    recorder.reply(
        "POST",
        "/conversations/messages/send",
        Reply(status=400, body={"error": {"detail": "outside window", "type": "x"}}),
    )
    recorder.reply("GET", "/rate-limit/error-test", Reply(status=429, headers={"Retry-After": "1"}))
    recorder.reply(
        "POST",
        "/webhooks/subscribe",
        Reply(
            body={"data": {"id": "w", "url": "https://x.test", "secret_key": "whsec-do-not-show"}}
        ),
    )

    await client.contacts.list(search_query="+385911234567")
    errors: list[BaseException] = []
    try:
        await client.messages.send(phone="+385911234567", text="hi")
    except ValidationError as exc:
        errors.append(exc)
    try:
        await client.rate_limit.error_test()
    except RateLimitError as exc:
        errors.append(exc)
    hook = await client.webhooks.subscribe("https://x.test/h", "message.received")

    forbidden = [*_forbidden(recorder), "whsec-do-not-show"]
    assert len(recorder.requests) == 5
    # There were DEBUG records from httpx/httpcore, and they are clean.
    names = {r.name for r in debug_logs.records}
    assert any(n.startswith("httpcore") for n in names) and "httpx" in names
    _assert_clean(debug_logs.text, forbidden)
    for record in debug_logs.records:
        _assert_clean(record.getMessage(), forbidden)
    _assert_clean(repr(client) + str(client) + repr(client.transport) + repr(hook), forbidden)
    for exc in errors:
        assert isinstance(exc, (ValidationError, RateLimitError))
        text = "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)
        assert exc.response is not None
        request = exc.response.request
        text += repr(request) + str(request) + repr(request.headers) + str(dict(request.headers))
        _assert_clean(text, forbidden)
        assert request.headers["x-auth-token"] == REDACTED
    out = capsys.readouterr()
    _assert_clean(out.out + out.err, forbidden)
    assert out.out == ""


async def test_log_records_carry_method_path_status_duration_retries(
    recorder: Recorder, make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
) -> None:
    client = make_client(recorder.base_url)
    recorder.reply("GET", "/contacts", Reply(status=502))
    await client.contacts.list(search_query="Ana Private")
    done = [
        r
        for r in debug_logs.records
        if r.name == "sendbee_tui.api" and getattr(r, "sendbee_status", None) == 200
    ]
    assert len(done) == 1
    record = done[0]
    assert record.sendbee_method == "GET" and record.sendbee_path == "/contacts"
    assert record.sendbee_retries == 1 and record.sendbee_duration_ms >= 0
    assert "GET /contacts -> 200" in record.getMessage() and "retries=1" in record.getMessage()
    # The query (which may hold a searched phone or name) is not in our log lines.
    ours = " ".join(r.getMessage() for r in debug_logs.records if r.name == "sendbee_tui.api")
    assert "Ana" not in ours


async def test_connection_errors_do_not_leak(
    make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        # A hostile/buggy transport that puts the headers in the error message.
        raise httpx.ReadError(f"boom {dict(request.headers)!r}", request=request)

    client = make_client(transport=httpx.MockTransport(handler), max_retries=1)
    with pytest.raises(APIConnectionError) as info:
        await client.contacts.list()
    tokens = [API_KEY, API_SECRET]
    text = "".join(traceback.format_exception(info.value)) + repr(info.value)
    assert REDACTED in str(info.value)
    _assert_clean(text, tokens)
    _assert_clean(debug_logs.text, tokens)
    # The requests kept by the exception chain were scrubbed after use.
    assert all(r.headers["x-api-key"] == REDACTED for r in seen)
    cause = info.value.__cause__
    assert isinstance(cause, httpx.ReadError)
    _assert_clean(repr(cause.request.headers), tokens)


async def test_redaction_filter_rewrites_careless_third_party_logs(
    make_client: MakeClient, debug_logs: pytest.LogCaptureFixture
) -> None:
    make_client()  # creating a client installs the filter and registers its secrets
    token = SendbeeAuth("any-other-secret").token()
    for name in ("httpx", "httpcore.http11", "httpcore.connection", "sendbee_tui.api"):
        logging.getLogger(name).debug(
            "headers=%r", {"X-Api-Key": API_KEY, "X-Auth-Token": token, "note": API_SECRET}
        )
    logging.getLogger("httpcore.http11").debug("raw header line X-Auth-Token: %s", token)
    _assert_clean(debug_logs.text, [API_KEY, API_SECRET, token])
    assert debug_logs.text.count(REDACTED) >= 9


def test_redact_function() -> None:
    token = SendbeeAuth("s3cr3t").token(1_700_000_000)
    assert redact(f"token {token} end") == f"token {REDACTED} end"
    assert redact("x-api-key: abc123") == f"x-api-key: {REDACTED}"
    assert redact("(b'x-auth-token', b'QUJD')") == f"(b'x-auth-token', b'{REDACTED}')"
    assert redact("plain text stays") == "plain text stays"
    long_b64 = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWg=="
    assert redact(long_b64) == long_b64  # base64 that is not a token is left alone


def test_filter_never_drops_records() -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    assert RedactionFilter().filter(record) is True
    assert record.getMessage() == "hello x"
