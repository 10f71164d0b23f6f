"""One page of a list endpoint, and lazy iteration over all of them.

The API pages with ``page``/``limit`` and reports ``meta.current_page`` and
``meta.last_page``; the list ends when ``current_page >= last_page``. A
:class:`Page` remembers how to fetch its successor, so callers can either walk
pages themselves (``await page.next_page()``) or let :func:`iterate_items` do it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._coerce import as_int, as_str
from .errors import PaginationError

__all__ = ["Page", "PageLinks", "PageMeta", "iterate_items"]

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
            return cls(current_page=fallback_page, last_page=fallback_page, total=None,
                       per_page=count or None)
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
            first=as_str(d.get("first")), last=as_str(d.get("last")),
            prev=as_str(d.get("prev")), next=as_str(d.get("next")),
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
