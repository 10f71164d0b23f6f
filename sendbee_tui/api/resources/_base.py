"""Shared helpers of the resource classes: paging and single-object decoding."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, TypeVar

from .._coerce import as_dicts
from ..errors import APIError
from ..pagination import Page, PageLinks, PageMeta, iterate_items
from ..transport import ApiResponse, Transport
from ..validation import validate_limit, validate_page

__all__ = ["Resource"]

T = TypeVar("T")
Parser = Callable[[Any], T]


class Resource:
    """Base class: holds the transport and knows how to turn envelopes into models."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    async def _list(
        self,
        path: str,
        parse: Parser[T],
        params: Mapping[str, Any],
        *,
        page: int = 1,
        limit: int | None = None,
    ) -> Page[T]:
        """GET one page of ``path`` and wrap it in a :class:`Page` that can fetch the next."""
        validate_page(page)
        validate_limit(limit)
        query = {**params, "page": page, "limit": limit}
        result = await self._transport.request("GET", path, params=query)
        return self._page(result, parse, page, lambda n: self._list(
            path, parse, params, page=n, limit=limit))

    @staticmethod
    def _page(result: ApiResponse, parse: Parser[T], page: int, fetch: Any) -> Page[T]:
        items = [parse(item) for item in as_dicts(result.data)]
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
        self, path: str, parse: Parser[T], params: Mapping[str, Any], *, page: int = 1,
        limit: int | None = 100,
    ) -> AsyncIterator[T]:
        """Every item from ``page`` on, fetched lazily page by page.

        Arguments are checked now, so a bad call fails where it is written
        rather than at the first ``async for`` step.
        """
        validate_page(page)
        validate_limit(limit)
        return iterate_items(lambda: self._list(path, parse, params, page=page, limit=limit))

    async def _one(
        self,
        method: str,
        path: str,
        parse: Parser[T],
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
                    result.response.status_code, "the response contained no object",
                    "empty_response", response=result.response, method=method, path=path,
                )
            data = data[0]
        if not isinstance(data, Mapping):
            raise APIError(
                result.response.status_code, "the response object has an unexpected shape",
                "invalid_response", response=result.response, method=method, path=path,
            )
        return parse(data)
