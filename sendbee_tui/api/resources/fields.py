"""``/contacts/fields``: custom contact field definitions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from ..models import Acknowledgement, ContactField
from ..pagination import Page
from ..validation import require_text, validate_field_definition
from ._base import Resource

__all__ = ["Fields"]

PATH = "/contacts/fields"


class Fields(Resource):
    """Custom contact fields (text, number, list, date, boolean)."""

    async def list(
        self, search_query: str | None = None, page: int = 1, limit: int | None = None
    ) -> Page[ContactField]:
        """One page of field definitions."""
        return await self._list(
            PATH, ContactField.from_dict, {"search_query": search_query}, page=page, limit=limit
        )

    def iterate(
        self, search_query: str | None = None, page: int = 1, limit: int | None = 100
    ) -> AsyncIterator[ContactField]:
        """Every field definition, lazily."""
        return self._iterate(
            PATH, ContactField.from_dict, {"search_query": search_query}, page=page, limit=limit
        )

    async def create(
        self, name: str, type: str, options: Sequence[str] | None = None
    ) -> ContactField:
        """Create a field; a ``list`` field needs ``options``."""
        checked = validate_field_definition(type, options, creating=True)
        body = {"name": require_text(name, "name"), "type": type, "options": checked}
        return await self._one("POST", PATH, ContactField.from_dict, json=body)

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
        return await self._one("PUT", PATH, ContactField.from_dict, json=body)

    async def delete(self, id: str) -> Acknowledgement:
        """Delete a field definition (DELETE with a JSON body)."""
        body = {"id": require_text(id, "id")}
        return await self._one("DELETE", PATH, Acknowledgement.from_dict, json=body)
