"""``/contacts/tags``: list, create, rename and delete contact tags."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ..models import Acknowledgement, Tag
from ..pagination import Page
from ..validation import require_text
from ._base import Resource

__all__ = ["Tags"]

PATH = "/contacts/tags"


class Tags(Resource):
    """Contact tags."""

    async def list(
        self, name: str | None = None, page: int = 1, limit: int | None = None
    ) -> Page[Tag]:
        """One page of tags, optionally filtered by name."""
        return await self._list(PATH, Tag.from_dict, {"name": name}, page=page, limit=limit)

    def iterate(
        self, name: str | None = None, page: int = 1, limit: int | None = 100
    ) -> AsyncIterator[Tag]:
        """Every tag, lazily."""
        return self._iterate(PATH, Tag.from_dict, {"name": name}, page=page, limit=limit)

    async def create(self, name: str) -> Tag:
        """Create a tag."""
        body = {"name": require_text(name, "name")}
        return await self._one("POST", PATH, Tag.from_dict, json=body)

    async def update(self, id: str, name: str) -> Tag:
        """Rename a tag."""
        body = {"id": require_text(id, "id"), "name": require_text(name, "name")}
        return await self._one("PUT", PATH, Tag.from_dict, json=body)

    async def delete(self, id: str) -> Acknowledgement:
        """Delete a tag (sent as DELETE with a JSON body, as the API expects)."""
        body = {"id": require_text(id, "id")}
        return await self._one("DELETE", PATH, Acknowledgement.from_dict, json=body)
