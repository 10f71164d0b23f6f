"""``/conversations/messages/templates``: the account's WhatsApp templates."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from typing import Any

from ..models import Template
from ..pagination import DEFAULT_CONCURRENCY, Page
from ..validation import TEMPLATE_STATUSES, validate_choice
from ._base import Resource

__all__ = ["Templates"]

PATH = "/conversations/messages/templates"


def _params(status: str | None, search_query: str | None) -> dict[str, Any]:
    if status is not None:
        validate_choice(status, TEMPLATE_STATUSES, "status")
    return {"status": status, "search_query": search_query}


class Templates(Resource):
    """Message templates (pending, approved or rejected by WhatsApp)."""

    async def list(
        self,
        status: str | None = None,
        search_query: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[Template]:
        """One page of templates."""
        return await self._list(
            PATH, Template, _params(status, search_query), page=page, limit=limit
        )

    def iterate(
        self,
        status: str | None = None,
        search_query: str | None = None,
        page: int | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[Template]:
        """Every template, lazily."""
        return self._iterate(PATH, Template, _params(status, search_query), page=page, limit=limit)

    async def list_all(
        self,
        status: str | None = None,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> builtins.list[Template]:
        """Every template, pages fetched ``concurrency`` at a time, in order."""
        return await self._all(
            PATH,
            Template,
            _params(status, search_query),
            limit=limit,
            concurrency=concurrency,
        )

    def list_pages(
        self,
        status: str | None = None,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[Page[Template]]:
        """Every page of templates, fetched as :meth:`list_all` does, yielded in order."""
        return self._pages(
            PATH,
            Template,
            _params(status, search_query),
            limit=limit,
            concurrency=concurrency,
        )
