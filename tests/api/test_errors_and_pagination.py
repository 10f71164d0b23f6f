"""Error classes per status, error envelopes, server warnings, pagination and iterate()."""

from __future__ import annotations

import logging
import warnings

import pytest
from apitest_support import Recorder, Reply

from sendbee_tui.api import (
    APIError,
    AuthenticationError,
    NotFoundError,
    PaginationError,
    PaginationException,
    RateLimitError,
    SendbeeClient,
    SendbeeError,
    SendbeeRequestApiException,
    SendbeeWarning,
    ServerError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (422, ValidationError),
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (409, APIError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
    ],
)
async def test_error_class_per_status(
    recorder: Recorder, make_client, status: int, cls: type[APIError]
) -> None:
    client: SendbeeClient = make_client(recorder.base_url, max_retries=0)
    recorder.always(
        "GET",
        "/contacts",
        Reply(status=status, body={"error": {"detail": "Something failed", "type": "some_type"}}),
    )
    with pytest.raises(cls) as info:
        await client.contacts.list()
    err = info.value
    assert type(err) is cls
    assert err.status == status and err.status_code == status
    assert err.detail == "Something failed" and err.type == "some_type"
    assert err.response is not None and err.response.status_code == status
    assert isinstance(err, SendbeeError) and isinstance(err, SendbeeRequestApiException)
    assert str(status) in str(err) and "GET /contacts" in str(err)


async def test_top_level_detail_and_empty_error_body(recorder: Recorder, make_client) -> None:
    client: SendbeeClient = make_client(recorder.base_url, max_retries=0)
    recorder.reply("GET", "/contacts", Reply(status=400, body={"detail": "bad page"}))
    with pytest.raises(ValidationError, match="bad page"):
        await client.contacts.list()
    recorder.reply("GET", "/contacts", Reply(status=404, body=None))
    with pytest.raises(NotFoundError, match="Not Found"):
        await client.contacts.list()


async def test_outside_window_is_a_validation_error(recorder: Recorder, client) -> None:
    recorder.reply(
        "POST",
        "/conversations/messages/send",
        Reply(
            status=400,
            body={
                "error": {
                    "detail": "Outside the 24 hour window",
                    "type": "outside_customer_care_window",
                }
            },
        ),
    )
    with pytest.raises(ValidationError) as info:
        await client.messages.send(phone="+385911234567", text="hi")
    assert info.value.type == "outside_customer_care_window"


async def test_rate_limit_error_test_endpoint_not_retried(
    recorder: Recorder, client, fake_sleep
) -> None:
    recorder.always(
        "GET",
        "/rate-limit/error-test",
        Reply(
            status=429,
            headers={"Retry-After": "7"},
            body={"data": {"detail": "Too many", "error": True, "type": "rate_limit"}},
        ),
    )
    with pytest.raises(RateLimitError) as info:
        await client.rate_limit.error_test()
    assert info.value.retry_after == 7
    assert info.value.detail == "Too many"
    assert len(recorder.requests) == 1 and fake_sleep.delays == []


async def test_invalid_json_on_success_is_an_api_error(recorder: Recorder, client) -> None:
    recorder.reply("GET", "/conversation", Reply(body="not an envelope"))
    # A JSON string is valid JSON but not an object: wrapped, then rejected as a shape.
    with pytest.raises(APIError, match="unexpected shape"):
        await client.conversations.get("c1")
    recorder.reply("GET", "/conversation", Reply(body={"data": []}))
    with pytest.raises(APIError, match="no object"):
        await client.conversations.get("c1")


def test_aliases() -> None:
    assert SendbeeRequestApiException is APIError
    assert PaginationException is PaginationError


async def test_server_warning_goes_to_page_logging_and_warnings_not_stdout(
    recorder: Recorder,
    client,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    recorder.reply("GET", "/contacts", Reply(body={"data": [], "warning": "API v1 is deprecated"}))
    caplog.set_level(logging.WARNING, logger="sendbee_tui.api")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = await client.contacts.list()
    assert page.warning == "API v1 is deprecated"
    assert any("API v1 is deprecated" in r.getMessage() for r in caplog.records)
    assert any(issubclass(w.category, SendbeeWarning) for w in caught)
    assert capsys.readouterr().out == ""


def _page(n: int, last: int, per: int = 2) -> Reply:
    items = [{"id": f"p{n}-{i}"} for i in range(per)]
    return Reply(
        body={
            "data": items,
            "meta": {"current_page": n, "last_page": last, "per_page": per, "total": per * last},
        }
    )


async def test_next_page_and_end(recorder: Recorder, client) -> None:
    recorder.reply("GET", "/contacts/tags", _page(1, 2), _page(2, 2))
    first = await client.tags.list(name="v", limit=2)
    assert first.has_next() and len(first) == 2
    second = await first.next_page()
    assert [t.id for t in second] == ["p2-0", "p2-1"]
    assert recorder.last.query == {"name": "v", "page": "2", "limit": "2"}
    assert not second.has_next()
    with pytest.raises(PaginationError):
        await second.next_page()


async def test_iterate_walks_every_page_lazily(recorder: Recorder, client) -> None:
    recorder.reply("GET", "/contacts", _page(1, 3), _page(2, 3), _page(3, 3))
    seen = []
    async for contact in client.contacts.iterate(status="subscribed"):
        seen.append(contact.id)
        if len(seen) == 1:
            assert len(recorder.requests) == 1  # nothing prefetched
    assert seen == ["p1-0", "p1-1", "p2-0", "p2-1", "p3-0", "p3-1"]
    # The first request asks for the default first page; the next ones name theirs.
    assert [r.query.get("page") for r in recorder.requests] == [None, "2", "3"]
    assert all(
        r.query["limit"] == "100" and r.query["status"] == "subscribed" for r in recorder.requests
    )


async def test_iterate_stops_on_empty_page_even_if_meta_lies(recorder: Recorder, client) -> None:
    recorder.reply(
        "GET",
        "/contacts/fields",
        _page(1, 50),
        Reply(body={"data": [], "meta": {"current_page": 2, "last_page": 50}}),
    )
    ids = [f.id async for f in client.fields.iterate()]
    assert ids == ["p1-0", "p1-1"] and len(recorder.requests) == 2


async def test_list_without_meta_is_a_single_page(recorder: Recorder, client) -> None:
    recorder.reply("GET", "/teams/teams", Reply(body={"data": [{"id": "t", "members": []}]}))
    page = await client.teams.list()
    assert page.meta.current_page == 1 and page.meta.last_page == 1 and not page.has_next()


async def test_iter_messages_newest_first_across_pages(recorder: Recorder, client) -> None:
    recorder.reply("GET", "/conversations/messages", _page(1, 2), _page(2, 2))
    ids = [m.id async for m in client.conversations.iter_messages("conv")]
    assert ids == ["p1-0", "p1-1", "p2-0", "p2-1"]
    assert "limit" not in recorder.last.query
