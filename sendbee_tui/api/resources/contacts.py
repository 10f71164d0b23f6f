"""``/contacts``: list, subscribe and update contacts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from ..models import Contact
from ..pagination import Page
from ..validation import CONTACT_STATUSES, require_text, validate_choice, validate_phone
from ._base import Resource

__all__ = ["Contacts"]


def _list_params(
    tags: Sequence[str] | None, status: str | None, search_query: str | None
) -> dict[str, Any]:
    if status is not None:
        validate_choice(status, CONTACT_STATUSES, "status")
    if isinstance(tags, str):
        tags = [tags]
    return {"tags": list(tags) if tags else None, "status": status, "search_query": search_query}


def _string_list(value: Sequence[str] | None, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return list(value)


def _fields(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError('contact_fields must be a mapping such as {"City": "Zagreb"}')
    return {str(k): v for k, v in value.items()}


class Contacts(Resource):
    """Contacts (WhatsApp subscribers) of the business."""

    async def list(
        self,
        tags: Sequence[str] | None = None,
        status: str | None = None,
        search_query: str | None = None,
        page: int = 1,
        limit: int | None = None,
    ) -> Page[Contact]:
        """One page of contacts, filtered by tag names, status and a name/phone search."""
        return await self._list(
            "/contacts", Contact.from_dict, _list_params(tags, status, search_query),
            page=page, limit=limit,
        )

    def iterate(
        self,
        tags: Sequence[str] | None = None,
        status: str | None = None,
        search_query: str | None = None,
        page: int = 1,
        limit: int | None = 100,
    ) -> AsyncIterator[Contact]:
        """Every matching contact, fetched lazily 100 per request."""
        return self._iterate(
            "/contacts", Contact.from_dict, _list_params(tags, status, search_query),
            page=page, limit=limit,
        )

    async def subscribe(
        self,
        phone: str,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        contact_fields: Mapping[str, Any] | None = None,
        block_notifications: bool = True,
        block_automation: bool = True,
    ) -> Contact:
        """Subscribe (create) a contact. Unknown tags are created; unknown fields ignored.

        A POST, so it is never retried once it may have reached the server.
        """
        body = {
            "phone": validate_phone(phone),
            "name": name,
            "tags": _string_list(tags, "tags"),
            "notes": _string_list(notes, "notes"),
            "contact_fields": _fields(contact_fields),
            "block_notifications": bool(block_notifications),
            "block_automation": bool(block_automation),
        }
        return await self._one("POST", "/contacts/subscribe", Contact.from_dict, json=body)

    async def update(
        self,
        id: str,
        phone: str | None = None,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        contact_fields: Mapping[str, Any] | None = None,
    ) -> Contact:
        """Update a contact. ``notes`` are *appended*, ``contact_fields`` overwrite given keys.

        Because appended notes would be duplicated by a retry after a lost
        response, an update that carries notes is not retried once sent.
        """
        body = {
            "id": require_text(id, "id"),
            "phone": validate_phone(phone) if phone is not None else None,
            "name": name,
            "tags": _string_list(tags, "tags"),
            "notes": _string_list(notes, "notes"),
            "contact_fields": _fields(contact_fields),
        }
        return await self._one(
            "PUT", "/contacts", Contact.from_dict, json=body, idempotent=not notes
        )
