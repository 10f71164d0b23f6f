"""``/conversations``, ``/conversation`` and ``/conversations/messages``."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from ..models import Conversation, Message
from ..pagination import DEFAULT_CONCURRENCY, Page
from ..validation import (
    FOLDERS,
    MOVABLE_FOLDERS,
    require_text,
    validate_choice,
    validate_timestamp,
)
from ._base import Resource

__all__ = ["Conversations"]

PATH = "/conversations"
MESSAGES = "/conversations/messages"

Timestamp = int | float | datetime


def _list_params(
    folder: str | None,
    search_query: str | None,
    date_from: Timestamp | None,
    date_to: Timestamp | None,
) -> dict[str, Any]:
    if folder is not None:
        validate_choice(folder, FOLDERS, "folder")
    start = validate_timestamp(date_from, "date_from")
    end = validate_timestamp(date_to, "date_to")
    if start is not None and end is not None and start > end:
        raise ValueError("date_from must not be later than date_to")
    return {"folder": folder, "search_query": search_query, "date_from": start, "date_to": end}


class Conversations(Resource):
    """Conversations (one per contact) and their messages."""

    async def list(
        self,
        folder: str | None = None,
        search_query: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[Conversation]:
        """One page of conversations, most recent activity first.

        ``date_from``/``date_to`` take Unix seconds or datetimes (naive = UTC).
        """
        params = _list_params(folder, search_query, date_from, date_to)
        return await self._list(PATH, Conversation, params, page=page, limit=limit)

    def iterate(
        self,
        folder: str | None = None,
        search_query: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        page: int | None = None,
        limit: int | None = 100,
    ) -> AsyncIterator[Conversation]:
        """Every matching conversation, lazily."""
        params = _list_params(folder, search_query, date_from, date_to)
        return self._iterate(PATH, Conversation, params, page=page, limit=limit)

    async def list_all(
        self,
        folder: str | None = None,
        search_query: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> builtins.list[Conversation]:
        """Every matching conversation, pages fetched ``concurrency`` at a time, in order."""
        params = _list_params(folder, search_query, date_from, date_to)
        return await self._all(PATH, Conversation, params, limit=limit, concurrency=concurrency)

    def list_pages(
        self,
        folder: str | None = None,
        search_query: str | None = None,
        date_from: Timestamp | None = None,
        date_to: Timestamp | None = None,
        *,
        limit: int | None = 100,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> AsyncIterator[Page[Conversation]]:
        """Every page of matching conversations, fetched as :meth:`list_all` does, in order.

        The inbox uses this to lay out each batch of pages as it arrives.
        """
        params = _list_params(folder, search_query, date_from, date_to)
        return self._pages(PATH, Conversation, params, limit=limit, concurrency=concurrency)

    async def get(self, conversation_id: str) -> Conversation:
        """One conversation by id."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return await self._one("GET", "/conversation", Conversation, params=params)

    async def move(self, conversation_id: str, folder: str) -> Conversation:
        """Move a conversation to ``open`` or ``done`` (the API's "update conversation").

        Moving looks idempotent, but it is a POST and the server may do more than
        set a folder (webhooks, assignment rules), so like every POST it is not
        retried once it may have reached the server.
        """
        body = {
            "conversation_id": require_text(conversation_id, "conversation_id"),
            "folder": validate_choice(folder, MOVABLE_FOLDERS, "folder"),
        }
        return await self._one("POST", "/conversation", Conversation, json=body)

    async def messages(self, conversation_id: str, page: int | None = None) -> Page[Message]:
        """One page of a conversation's messages: page 1 holds the newest, newest first."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return await self._list(MESSAGES, Message, params, page=page)

    def iter_messages(
        self, conversation_id: str, page: int | None = None
    ) -> AsyncIterator[Message]:
        """Every message from newest to oldest, fetching older pages lazily."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return self._iterate(MESSAGES, Message, params, page=page, limit=None)

    async def messages_all(
        self, conversation_id: str, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> builtins.list[Message]:
        """Every message, newest first, pages fetched ``concurrency`` at a time, in order."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return await self._all(MESSAGES, Message, params, limit=None, concurrency=concurrency)

    def messages_pages(
        self, conversation_id: str, *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> AsyncIterator[Page[Message]]:
        """Every page of messages, fetched as :meth:`messages_all` does, yielded in order."""
        params = {"conversation_id": require_text(conversation_id, "conversation_id")}
        return self._pages(MESSAGES, Message, params, limit=None, concurrency=concurrency)
