"""``/contacts/fields``: custom contact field definitions."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence

from ..models import Acknowledgement, ContactField
from ..pagination import DEFAULT_CONCURRENCY, Page
from ..validation import require_text, validate_field_definition
from ._base import Resource

__all__ = ["Fields"]

PATH = "/contacts/fields"


class Fields(Resource):
    """Custom contact fields (text, number, list, date, boolean)."""

    async def list(
        self,
        search_query: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[ContactField]:
        """One page of field definitions."""
        return await self._list(
            PATH, ContactField, {"search_query": search_query}, page=page, limit=limit
        )

    def iterate(
        self,
        search_query: str | None = None,
        page: int | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[ContactField]:
        """Every field definition, lazily."""
        return self._iterate(
            PATH, ContactField, {"search_query": search_query}, page=page, limit=limit
        )

    async def list_all(
        self,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> builtins.list[ContactField]:
        """Every field definition, pages fetched ``concurrency`` at a time, in order."""
        return await self._all(
            PATH,
            ContactField,
            {"search_query": search_query},
            limit=limit,
            concurrency=concurrency,
        )

    def list_pages(
        self,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[Page[ContactField]]:
        """Every page of field definitions, fetched as :meth:`list_all` does, in order."""
        return self._pages(
            PATH,
            ContactField,
            {"search_query": search_query},
            limit=limit,
            concurrency=concurrency,
        )

    async def create(
        self, name: str, type: str, options: Sequence[str] | None = None
    ) -> ContactField:
        """Create a field; a ``list`` field needs ``options``."""
        checked = validate_field_definition(type, options, creating=True)
        body = {"name": require_text(name, "name"), "type": type, "options": checked}
        return await self._one("POST", PATH, ContactField, json=body)

    async def update(
        self,
        id: str,
        name: str | None = None,
        type: str | None = None,
        options: Sequence[str] | None = None,
    ) -> ContactField:
        """Change a field's name, type or options."""
        checked = validate_field_definition(type, options, creating=False)
        body = {
            "id": require_text(id, "id"),
            "name": require_text(name, "name") if name is not None else None,
            "type": type,
            "options": checked,
        }
        return await self._one("PUT", PATH, ContactField, json=body)

    async def delete(self, id: str) -> Acknowledgement:
        """Delete a field definition (DELETE with a JSON body)."""
        body = {"id": require_text(id, "id")}
        return await self._one("DELETE", PATH, Acknowledgement, json=body)
