"""One page of a list endpoint, and the ways to walk all of them.

The API pages with ``page``/``limit`` and reports ``meta.current_page`` and
``meta.last_page``; the list ends when ``current_page >= last_page``. A
:class:`Page` remembers how to fetch its successor, so callers can either walk
pages themselves (``await page.next_page()``), let :func:`iterate_items` do it one
page at a time, or let :func:`ordered_pages` fetch several pages at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._coerce import as_int, as_str
from .errors import PaginationError

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "Page",
    "PageLinks",
    "PageMeta",
    "iterate_items",
    "ordered_pages",
    "validate_concurrency",
]

#: Requests a whole-collection fetch keeps in flight unless told otherwise.
DEFAULT_CONCURRENCY = 4
#: The most requests one whole-collection fetch keeps in flight.
MAX_CONCURRENCY = 16

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """The ``meta`` block. ``from_`` is ``from`` (a Python keyword)."""

    current_page: int = 1
    from_: int | None = None
    to: int | None = None
    per_page: int | None = None
    last_page: int = 1
    total: int | None = None

    @classmethod
    def from_dict(cls, data: Any, *, fallback_page: int = 1, count: int = 0) -> PageMeta:
        """Build from JSON; without ``meta`` the response is taken as the only page."""
        if not isinstance(data, Mapping):
            return cls(
                current_page=fallback_page,
                last_page=fallback_page,
                total=None,
                per_page=count or None,
            )
        current = as_int(data.get("current_page")) or fallback_page
        last = as_int(data.get("last_page"))
        return cls(
            current_page=current,
            from_=as_int(data.get("from")),
            to=as_int(data.get("to")),
            per_page=as_int(data.get("per_page")),
            last_page=last if last is not None else current,
            total=as_int(data.get("total")),
        )


@dataclass(frozen=True, slots=True)
class PageLinks:
    """The ``links`` block (absolute URLs on the real server; informational only)."""

    first: str | None = None
    last: str | None = None
    prev: str | None = None
    next: str | None = None

    @classmethod
    def from_dict(cls, data: Any) -> PageLinks:
        """Build from JSON."""
        d = data if isinstance(data, Mapping) else {}
        return cls(
            first=as_str(d.get("first")),
            last=as_str(d.get("last")),
            prev=as_str(d.get("prev")),
            next=as_str(d.get("next")),
        )


@dataclass(slots=True)
class Page(Generic[T]):
    """One page of results: ``items`` plus pagination ``meta``, ``links`` and ``warning``.

    Iterating a page yields its items; ``len(page)`` is the item count on this page
    (``page.meta.total`` is the count across all pages).
    """

    items: list[T]
    meta: PageMeta = field(default_factory=PageMeta)
    links: PageLinks = field(default_factory=PageLinks)
    warning: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _fetch: Callable[[int], Awaitable[Page[T]]] | None = field(
        default=None, repr=False, compare=False
    )

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def has_next(self) -> bool:
        """True while ``current_page < last_page`` (and this page was not empty)."""
        return bool(self.items) and self.meta.current_page < self.meta.last_page

    async def next_page(self) -> Page[T]:
        """Fetch the following page with the same filters.

        Raises :class:`PaginationError` after the last page, mirroring the official
        client's ``PaginationException``.
        """
        if not self.has_next() or self._fetch is None:
            raise PaginationError(
                f"page {self.meta.current_page} is the last page ({self.meta.last_page})"
            )
        return await self._fetch(self.meta.current_page + 1)


async def iterate_items(first: Callable[[], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Yield every item of the page ``first()`` fetches and of each following page.

    Nothing is requested until the first item is asked for. Stops at the last
    page or at the first empty page, so a server that overstates ``last_page``
    cannot make this loop forever.
    """
    page = await first()
    while True:
        for item in page.items:
            yield item
        if not page.has_next():
            return
        page = await page.next_page()


def validate_concurrency(concurrency: object) -> int:
    """An int from 1 to :data:`MAX_CONCURRENCY` (more would only trip the rate limit)."""
    if (
        isinstance(concurrency, bool)
        or not isinstance(concurrency, int)
        or not 1 <= concurrency <= MAX_CONCURRENCY
    ):
        raise ValueError(
            f"concurrency must be an integer from 1 to {MAX_CONCURRENCY} (got {concurrency!r})"
        )
    return concurrency


async def ordered_pages(
    first: Callable[[], Awaitable[Page[T]]],
    fetch: Callable[[int], Awaitable[Page[T]]],
    concurrency: int,
) -> AsyncIterator[Page[T]]:
    """Yield the page ``first()`` fetches, then every following page, in page order.

    The first page tells how many there are (``meta.last_page``); the rest are
    fetched with up to ``concurrency`` requests in flight, and each is yielded as
    soon as it and all pages before it are in, so a consumer can show them while
    later pages load. Pages already in are yielded back to back without awaiting,
    so a consumer that defers its redraw gets one redraw per batch. At most
    ``4 * concurrency`` pages are requested ahead of the oldest missing one, which
    bounds memory however many pages there are.

    The first error ends it: the requests still in flight are cancelled and that
    one exception is raised (never an ExceptionGroup, never a second error). Like
    :func:`iterate_items`, it stops at the first empty page, so a server that
    overstates ``last_page`` costs at most ``4 * concurrency`` extra requests. Leaving
    the ``async for`` early cancels the outstanding requests when the generator is
    closed (``contextlib.aclosing`` makes that immediate).
    """
    page = await first()
    yield page
    if not page.has_next():
        return
    last = page.meta.last_page
    wanted = page.meta.current_page + 1  # the next page to yield
    upcoming = wanted  # the next page to request
    running: dict[int, asyncio.Task[Page[T]]] = {}
    finished: dict[int, Page[T]] = {}
    try:
        while wanted <= last:
            in_flight = len(running)
            while (
                upcoming <= last and in_flight < concurrency and upcoming - wanted < 4 * concurrency
            ):
                running[upcoming] = asyncio.ensure_future(fetch(upcoming))
                upcoming += 1
                in_flight += 1
            if wanted not in finished:
                done, _ = await asyncio.wait(running.values(), return_when=asyncio.FIRST_COMPLETED)
                for number in [n for n, task in running.items() if task in done]:
                    # .result() re-raises the first failure; ``finally`` cancels the rest.
                    finished[number] = running.pop(number).result()
                continue
            page = finished.pop(wanted)
            yield page
            if not page.items:
                return
            wanted += 1
    finally:
        for task in running.values():
            task.cancel()
        if running:
            # Collect them so no "exception was never retrieved" warning follows.
            await asyncio.gather(*running.values(), return_exceptions=True)
