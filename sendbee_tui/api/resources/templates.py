"""``/conversations/messages/templates``: the account's WhatsApp templates."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from ..models import Template
from ..pagination import Page
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
        page: int = 1,
        limit: int | None = None,
    ) -> Page[Template]:
        """One page of templates."""
        return await self._list(
            PATH, Template.from_dict, _params(status, search_query), page=page, limit=limit
        )

    def iterate(
        self,
        status: str | None = None,
        search_query: str | None = None,
        page: int = 1,
        limit: int | None = 100,
    ) -> AsyncIterator[Template]:
        """Every template, lazily."""
        return self._iterate(
            PATH, Template.from_dict, _params(status, search_query), page=page, limit=limit
        )
