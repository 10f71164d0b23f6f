"""Whole collections: ``list_all`` / ``*_all`` and ``list_pages`` / ``*_pages``.

Order, completeness and the number of requests in flight are checked against the
real sandbox over loopback. Only the faults (a failing page, pages that never
answer) come from a wrapping transport, because a real server cannot be told to
fail exactly page 3 while pages 2, 4 and 5 hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any

import httpx
import pytest
from apitest_support import Recorder, Reply

from sendbee_tui.api import APIConnectionError, Page, SendbeeClient, ServerError
from sendbee_tui.api.pagination import MAX_CONCURRENCY, PageMeta, ordered_pages
from sendbee_tui.sandbox import SandboxServer

MakeClient = Callable[..., SendbeeClient]
Handler = Callable[[httpx.Request], Awaitable[httpx.Response | None]]


class Wrapping(httpx.AsyncHTTPTransport):
    """The real network transport, with a hook that may answer first (the fault).

    Counts requests in flight, so a test can see how many pages were fetched at once.
    """

    def __init__(self, hook: Handler | None = None) -> None:
        super().__init__()
        self.hook = hook
        self.in_flight = 0
        self.most_in_flight = 0
        self.pages: list[str | None] = []
        self.cancelled = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.pages.append(request.url.params.get("page"))
        try:
            if self.hook is not None:
                answer = await self.hook(request)
                if answer is not None:
                    return answer
            return await super().handle_async_request(request)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1


@pytest.fixture
async def connect(sandbox: SandboxServer) -> AsyncIterator[Callable[..., SendbeeClient]]:
    made: list[SendbeeClient] = []

    def factory(transport: httpx.AsyncBaseTransport | None = None) -> SendbeeClient:
        client = SendbeeClient(
            sandbox.api_key,
            sandbox.api_secret,
            base_url=sandbox.base_url,
            transport=transport,
            max_retries=0,
        )
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


def _page_no(request: httpx.Request) -> int:
    return int(request.url.params.get("page", "1"))


async def test_list_all_equals_sequential_iteration_in_order(
    connect: Callable[..., SendbeeClient],
) -> None:
    transport = Wrapping()
    sb = connect(transport)
    sequential = [c async for c in sb.contacts.iterate(limit=3)]
    assert len(sequential) > 12  # enough pages for 4 in flight to matter
    transport.most_in_flight = 0
    everything = await sb.contacts.list_all(limit=3, concurrency=4)
    assert everything == sequential  # same models, same order
    assert [c.raw for c in everything] == [c.raw for c in sequential]
    assert transport.most_in_flight == 4


@pytest.mark.parametrize("concurrency", [1, 2, 5])
async def test_list_pages_yields_each_page_once_in_page_order(
    connect: Callable[..., SendbeeClient], concurrency: int
) -> None:
    transport = Wrapping()
    sb = connect(transport)
    pages = [p async for p in sb.conversations.list_pages(limit=7, concurrency=concurrency)]
    last = pages[0].meta.last_page
    assert last > concurrency
    assert [p.meta.current_page for p in pages] == list(range(1, last + 1))
    assert all(isinstance(p, Page) for p in pages)
    ids = [c.id for p in pages for c in p]
    assert ids == [c.id async for c in sb.conversations.iterate(limit=7)]
    assert transport.most_in_flight == concurrency
    # The first request asks for the default page; each later page is asked for once.
    first, *rest = transport.pages[:last]
    assert first is None and sorted(rest, key=int) == [str(n) for n in range(2, last + 1)]


async def test_every_list_resource_has_the_whole_collection_methods(
    connect: Callable[..., SendbeeClient],
) -> None:
    sb = connect()
    conv = (await sb.conversations.list(limit=1)).items[0]
    assert conv.id
    pairs: list[tuple[Any, AsyncIterator[Any]]] = [
        (sb.tags.list_all(limit=2), sb.tags.iterate(limit=2)),
        (sb.fields.list_all(limit=2), sb.fields.iterate(limit=2)),
        (sb.templates.list_all(limit=2), sb.templates.iterate(limit=2)),
        (sb.teams.list_all(), sb.teams.iterate()),
        (sb.teams.members_all(), sb.teams.iter_members()),
        (
            sb.conversations.messages_all(conv.id, concurrency=3),
            sb.conversations.iter_messages(conv.id),
        ),
    ]
    for whole, lazily in pairs:
        items = await whole
        assert items and items == [item async for item in lazily]
    newest_first = await sb.conversations.messages_all(conv.id)
    stamps = [m.sent_at for m in newest_first]
    assert all(stamps[i] >= stamps[i + 1] for i in range(len(stamps) - 1))  # type: ignore[operator]
    pages = [p async for p in sb.conversations.messages_pages(conv.id, concurrency=2)]
    assert len(pages) > 1 and [m for p in pages for m in p] == newest_first
    member_pages = [p async for p in sb.teams.members_pages()]
    assert [m for p in member_pages for m in p] == await sb.teams.members_all()
    tag_pages = [p async for p in sb.tags.list_pages(limit=2)]
    assert [t for p in tag_pages for t in p] == await sb.tags.list_all()


async def test_an_empty_collection_is_one_request(connect: Callable[..., SendbeeClient]) -> None:
    transport = Wrapping()
    sb = connect(transport)
    assert await sb.contacts.list_all(search_query="no such person zzzz") == []
    assert len(transport.pages) == 1


async def test_the_first_error_is_raised_once_and_the_rest_are_cancelled(
    connect: Callable[..., SendbeeClient],
) -> None:
    never = asyncio.Event()

    async def fault(request: httpx.Request) -> httpx.Response | None:
        page = _page_no(request)
        if page == 3:
            return httpx.Response(500, json={"error": {"detail": "page 3 broke", "type": "x"}})
        if page > 1:
            await never.wait()  # a page that never answers, until cancelled
        return None

    transport = Wrapping(fault)
    sb = connect(transport)
    with pytest.raises(ServerError) as caught:
        await sb.contacts.list_all(limit=3, concurrency=4)
    assert "page 3 broke" in str(caught.value)
    assert transport.cancelled == 3  # pages 2, 4 and 5 were in flight, then cancelled
    assert transport.in_flight == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_two_failures_surface_as_one_error(connect: Callable[..., SendbeeClient]) -> None:
    async def fault(request: httpx.Request) -> httpx.Response | None:
        if _page_no(request) > 1:
            raise httpx.ReadError("lost", request=request)
        return None

    sb = connect(Wrapping(fault))
    with pytest.raises(APIConnectionError):  # one plain error, not an ExceptionGroup
        await sb.contacts.list_all(limit=3, concurrency=4)


async def test_pages_already_yielded_stay_and_the_error_follows(
    connect: Callable[..., SendbeeClient],
) -> None:
    async def fault(request: httpx.Request) -> httpx.Response | None:
        return httpx.Response(503, json={}) if _page_no(request) == 4 else None

    sb = connect(Wrapping(fault))
    seen: list[int] = []
    with pytest.raises(ServerError):
        async for page in sb.contacts.list_pages(limit=3, concurrency=2):
            seen.append(page.meta.current_page)
    # Page 4 fails as soon as it is asked for: page 3 may or may not have come first,
    # but whatever was yielded is a gap-free prefix and nothing after the failure.
    assert seen in ([1, 2], [1, 2, 3])


async def test_leaving_list_pages_early_cancels_the_requests_in_flight(
    connect: Callable[..., SendbeeClient],
) -> None:
    never = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response | None:
        if _page_no(request) > 2:
            await never.wait()
        return None

    transport = Wrapping(slow)
    sb = connect(transport)
    async with aclosing(sb.contacts.list_pages(limit=3, concurrency=3)) as pages:
        async for page in pages:
            if page.meta.current_page == 2:
                break
    # Pages 3 and 4 were waiting for an answer and are cancelled (5, queued as 2 came
    # in, is cancelled before it reaches the transport): nothing is left running.
    assert transport.cancelled >= 2 and transport.in_flight == 0
    assert asyncio.all_tasks() == {asyncio.current_task()}


async def test_a_server_overstating_last_page_stops_at_the_first_empty_page(
    recorder: Recorder, make_client: MakeClient
) -> None:
    def page(n: int, items: int) -> Reply:
        return Reply(
            body={
                "data": [{"id": f"p{n}-{i}"} for i in range(items)],
                "meta": {"current_page": n, "last_page": 1000},
            }
        )

    # By page number: pages 2 and 3 are asked for at once and may arrive either way round.
    recorder.reply_by_page(
        "GET", "/contacts/tags", {n: page(n, 0 if n == 3 else 2) for n in range(1, 6)}
    )
    recorder.always("GET", "/contacts/tags", page(6, 2))
    client = make_client(recorder.base_url)
    tags = await client.tags.list_all(concurrency=2)
    assert len(tags) == 4  # pages 1 and 2; page 3 was empty
    assert len(recorder.requests) <= 1 + 2 + 4 * 2  # never anywhere near 1000


@pytest.mark.parametrize("bad", [0, -1, MAX_CONCURRENCY + 1, True, 2.5, "4"])
async def test_concurrency_is_checked_before_any_request(
    recorder: Recorder, make_client: MakeClient, bad: object
) -> None:
    client = make_client(recorder.base_url)
    with pytest.raises(ValueError, match="concurrency"):
        client.contacts.list_pages(concurrency=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="concurrency"):
        await client.contacts.list_all(concurrency=bad)  # type: ignore[arg-type]
    assert recorder.requests == []


def _fake_page(number: int, last: int) -> Page[int]:
    return Page(items=[number], meta=PageMeta(current_page=number, last_page=last))


async def test_ordered_pages_orders_out_of_order_completions_and_hands_over_batches() -> None:
    # Pure scheduling, no HTTP: pages 2..6 complete in the order 4, 3, 6, 5, 2.
    gates = {n: asyncio.Event() for n in range(2, 7)}
    started: list[int] = []

    async def fetch(number: int) -> Page[int]:
        started.append(number)
        await gates[number].wait()
        return _fake_page(number, 6)

    async def first() -> Page[int]:
        return _fake_page(1, 6)

    received: list[int] = []
    seen_at_next_loop_turn: list[int] = []
    loop = asyncio.get_running_loop()

    async def consume(pages: AsyncIterator[Page[int]]) -> None:
        async for page in pages:
            received.extend(page.items)
            if page.items == [2]:  # what a deferred redraw would see
                loop.call_soon(lambda: seen_at_next_loop_turn.append(len(received)))

    pages = ordered_pages(first, fetch, concurrency=5)
    assert (await anext(pages)).items == [1]
    consumer = asyncio.ensure_future(consume(pages))
    for number in (4, 3, 6, 5):
        await asyncio.sleep(0)  # let the fetches start and wait
        gates[number].set()
    for _ in range(5):
        await asyncio.sleep(0)
    assert received == []  # page 2 is missing: nothing may overtake it
    gates[2].set()
    await consumer
    assert received == [2, 3, 4, 5, 6]
    assert sorted(started) == [2, 3, 4, 5, 6]
    # Pages 3-6 were already in: handed over with page 2, before the loop's next turn.
    assert seen_at_next_loop_turn == [5]
