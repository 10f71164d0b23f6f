"""Shared helpers of the resource classes: paging and single-object decoding.

Every list endpoint gets the same four ways in, built here from one ``_list``:
``list()`` (one page), ``iterate()`` (every item, page by page, lazily),
``*_all()`` (every item, pages fetched ``concurrency`` at a time, in page order)
and ``*_pages()`` (the same, yielding each page as soon as it is in order).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any, TypeVar

from .._decoding import build, build_many
from ..errors import APIError
from ..pagination import Page, PageLinks, PageMeta, iterate_items, ordered_pages
from ..pagination import validate_concurrency as _validate_concurrency
from ..transport import ApiResponse, Transport
from ..validation import validate_limit, validate_page

__all__ = ["Resource"]

T = TypeVar("T")


class Resource:
    """Base class: holds the transport and knows how to turn envelopes into models."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _list(
        self,
        path: str,
        model: type[T],
        params: Mapping[str, Any],
        *,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[T]:
        """GET one page of ``path`` and wrap it in a :class:`Page` that can fetch the next.

        ``page`` and ``limit`` are sent only when given: like the official clients,
        a plain ``list()`` asks the server for its default first page.
        """
        if page is not None:
            validate_page(page)
        validate_limit(limit)
        query = {**params, "page": page, "limit": limit}
        result = await self._transport.request("GET", path, params=query)

        async def fetch(number: int) -> Page[T]:
            return await self._list(path, model, params, page=number, limit=limit)

        return self._page(result, model, page or 1, fetch)

    @staticmethod
    def _page(
        result: ApiResponse,
        model: type[T],
        page: int,
        fetch: Callable[[int], Awaitable[Page[T]]],
    ) -> Page[T]:
        items = build_many(model, result.data)
        body = result.body
        return Page(
            items=items,
            meta=PageMeta.from_dict(body.get("meta"), fallback_page=page, count=len(items)),
            links=PageLinks.from_dict(body.get("links")),
            warning=result.warning,
            raw=body,
            _fetch=fetch,
        )

    def _iterate(
        self,
        path: str,
        model: type[T],
        params: Mapping[str, Any],
        *,
        page: int | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[T]:
        """Every item from ``page`` on, fetched lazily page by page.

        Arguments are checked now, so a bad call fails where it is written
        rather than at the first ``async for`` step.
        """
        if page is not None:
            validate_page(page)
        validate_limit(limit)
        return iterate_items(lambda: self._list(path, model, params, page=page, limit=limit))

    def _pages(
        self,
        path: str,
        model: type[T],
        params: Mapping[str, Any],
        *,
        limit: int | None,
        concurrency: int,
    ) -> AsyncIterator[Page[T]]:
        """Every page, ``concurrency`` requests in flight, yielded in page order."""
        validate_limit(limit)
        _validate_concurrency(concurrency)

        async def fetch(number: int) -> Page[T]:
            return await self._list(path, model, params, page=number, limit=limit)

        return ordered_pages(
            lambda: self._list(path, model, params, limit=limit), fetch, concurrency
        )

    async def _all(
        self,
        path: str,
        model: type[T],
        params: Mapping[str, Any],
        *,
        limit: int | None,
        concurrency: int,
    ) -> list[T]:
        """Every item of every page, in order (see :meth:`_pages`)."""
        items: list[T] = []
        async for page in self._pages(path, model, params, limit=limit, concurrency=concurrency):
            items.extend(page.items)
        return items

    async def _one(
        self,
        method: str,
        path: str,
        model: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        idempotent: bool | None = None,
        retry: bool = True,
    ) -> T:
        """Send a call whose ``data`` is one object (or a one-element list) and parse it."""
        result = await self._transport.request(
            method, path, params=params, json=json, idempotent=idempotent, retry=retry
        )
        data = result.data
        if isinstance(data, list):
            if not data:
                raise APIError(
                    result.response.status_code,
                    "the response contained no object",
                    "empty_response",
                    response=result.response,
                    method=method,
                    path=path,
                )
            data = data[0]
        if not isinstance(data, Mapping):
            raise APIError(
                result.response.status_code,
                "the response object has an unexpected shape",
                "invalid_response",
                response=result.response,
                method=method,
                path=path,
            )
        return build(model, data)
