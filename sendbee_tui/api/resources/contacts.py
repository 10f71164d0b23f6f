"""``/contacts``: list, subscribe and update contacts."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from ..models import Contact
from ..pagination import DEFAULT_CONCURRENCY, Page
from ..validation import (
    CONTACT_STATUSES,
    require_text,
    validate_choice,
    validate_phone,
    validate_recipient,
)
from ._base import Resource

__all__ = ["Contacts"]

PATH = "/contacts"


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
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[Contact]:
        """One page of contacts, filtered by tag names, status and a name/phone search."""
        return await self._list(
            PATH,
            Contact,
            _list_params(tags, status, search_query),
            page=page,
            limit=limit,
        )

    def iterate(
        self,
        tags: Sequence[str] | None = None,
        status: str | None = None,
        search_query: str | None = None,
        page: int | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[Contact]:
        """Every matching contact, fetched lazily 100 per request."""
        return self._iterate(
            PATH,
            Contact,
            _list_params(tags, status, search_query),
            page=page,
            limit=limit,
        )

    async def list_all(
        self,
        tags: Sequence[str] | None = None,
        status: str | None = None,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> builtins.list[Contact]:
        """Every matching contact: page 1, then the rest ``concurrency`` at a time, in order."""
        return await self._all(
            PATH,
            Contact,
            _list_params(tags, status, search_query),
            limit=limit,
            concurrency=concurrency,
        )

    def list_pages(
        self,
        tags: Sequence[str] | None = None,
        status: str | None = None,
        search_query: str | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[Page[Contact]]:
        """Every page of matching contacts, fetched as :meth:`list_all` does, yielded in order."""
        return self._pages(
            PATH,
            Contact,
            _list_params(tags, status, search_query),
            limit=limit,
            concurrency=concurrency,
        )

    async def subscribe(
        self,
        phone: str | None = None,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        contact_fields: Mapping[str, Any] | None = None,
        block_notifications: bool = True,
        block_automation: bool = True,
        *,
        whatsapp_user_id: str | None = None,
    ) -> Contact:
        """Subscribe (create) a contact by ``phone`` and/or ``whatsapp_user_id``.

        Unknown tags are created; unknown fields ignored. A POST, so it is never
        retried once it may have reached the server.
        """
        to_phone, to_user = validate_recipient(phone, whatsapp_user_id)
        body = {
            "phone": to_phone,
            "whatsapp_user_id": to_user,
            "name": name,
            "tags": _string_list(tags, "tags"),
            "notes": _string_list(notes, "notes"),
            "contact_fields": _fields(contact_fields),
            "block_notifications": bool(block_notifications),
            "block_automation": bool(block_automation),
        }
        return await self._one("POST", "/contacts/subscribe", Contact, json=body)

    async def update(
        self,
        id: str | None = None,
        phone: str | None = None,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        notes: Sequence[str] | None = None,
        contact_fields: Mapping[str, Any] | None = None,
        *,
        whatsapp_user_id: str | None = None,
        block_notifications: bool | None = None,
    ) -> Contact:
        """Update a contact, found by ``id`` or ``whatsapp_user_id`` (the official client's
        parameters). ``notes`` are *appended*, ``contact_fields`` overwrite given keys;
        ``block_notifications`` is sent only when given.

        Because appended notes would be duplicated by a retry after a lost
        response, an update that carries notes is not retried once sent.
        """
        if id is None and whatsapp_user_id is None:
            raise ValueError("a contact is required: give id or whatsapp_user_id")
        body = {
            "id": require_text(id, "id") if id is not None else None,
            "whatsapp_user_id": (
                require_text(whatsapp_user_id, "whatsapp_user_id")
                if whatsapp_user_id is not None
                else None
            ),
            "phone": validate_phone(phone) if phone is not None else None,
            "name": name,
            "tags": _string_list(tags, "tags"),
            "notes": _string_list(notes, "notes"),
            "contact_fields": _fields(contact_fields),
            "block_notifications": (
                bool(block_notifications) if block_notifications is not None else None
            ),
        }
        return await self._one("PUT", PATH, Contact, json=body, idempotent=not notes)
