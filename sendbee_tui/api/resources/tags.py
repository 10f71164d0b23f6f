"""``/contacts/tags``: list, create, rename and delete contact tags."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from ..models import Acknowledgement, Tag
from ..pagination import DEFAULT_CONCURRENCY, Page
from ..validation import require_text
from ._base import Resource

__all__ = ["Tags"]

PATH = "/contacts/tags"


class Tags(Resource):
    """Contact tags."""

    async def list(
        self, name: str | None = None, page: int | None = None, limit: int | None = None
    ) -> Page[Tag]:
        """One page of tags, optionally filtered by name."""
        return await self._list(PATH, Tag, {"name": name}, page=page, limit=limit)

    def iterate(
        self, name: str | None = None, page: int | None = None, limit: int | None = 100
    ) -> AsyncIterator[Tag]:
        """Every tag, lazily."""
        return self._iterate(PATH, Tag, {"name": name}, page=page, limit=limit)

    async def list_all(
        self,
        name: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> builtins.list[Tag]:
        """Every tag, pages fetched ``concurrency`` at a time, in order."""
        return await self._all(PATH, Tag, {"name": name}, limit=limit, concurrency=concurrency)

    def list_pages(
        self,
        name: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[Page[Tag]]:
        """Every page of tags, fetched as :meth:`list_all` does, yielded in order."""
        return self._pages(PATH, Tag, {"name": name}, limit=limit, concurrency=concurrency)

    async def create(self, name: str) -> Tag:
        """Create a tag."""
        body = {"name": require_text(name, "name")}
        return await self._one("POST", PATH, Tag, json=body)

    async def update(self, id: str, name: str) -> Tag:
        """Rename a tag."""
        body = {"id": require_text(id, "id"), "name": require_text(name, "name")}
        return await self._one("PUT", PATH, Tag, json=body)

    async def delete(self, id: str) -> Acknowledgement:
        """Delete a tag (sent as DELETE with a JSON body, as the API expects)."""
        body = {"id": require_text(id, "id")}
        return await self._one("DELETE", PATH, Acknowledgement, json=body)
