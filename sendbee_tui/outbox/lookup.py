"""Find an ambiguous send on the server: read the conversation, never guess.

A send whose answer was lost is looked for among the conversation's messages
(newest first) as an *outbound* message with the same body and media URL,
sent no earlier than the attempt minus ``clock_skew`` seconds (the server's
clock is not ours, and it stores whole seconds).  The walk stops at the first
message older than that bound.

Identical replies ("ok" twice on purpose) are told apart by *claims*: a server
message matched to one outbox entry is never matched to another, so N entries
find N different messages or some of them stay unconfirmed.  Among several
candidates the oldest unclaimed one is taken, so claims follow send order.

For a template the body is the template text with its placeholders filled
(``{{1}}``, WhatsApp's numbered form, and ``{name}``, the named form Sendbee's
documentation shows), as the server fills it; the entry carries it when the form knew it,
otherwise the template is read from the API once and cached.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sendbee_tui.api import SendbeeClient
from sendbee_tui.api.models import Message

from .entry import Kind, OutboxEntry

__all__ = ["Candidate", "MessageLookup", "fill_template"]

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_template(text: str, values: Mapping[str, str]) -> str:
    """``{{1}}`` / ``{name}`` replaced by ``values["1"]`` / ``values["name"]``.

    Placeholders without a value stay as written.
    """

    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1) or match.group(2))
        return value if value is not None and value.strip() else match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _seconds(value: datetime | None) -> float | None:
    return None if value is None else value.timestamp()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A server message that matches an entry: its id, conversation and send time."""

    message_id: str
    conversation_id: str
    sent_at: float


class MessageLookup:
    """Reads the API to find the server messages an entry may have produced."""

    def __init__(
        self, client: SendbeeClient, *, clock_skew: float = 10.0, max_pages: int = 20
    ) -> None:
        self._client = client
        self.clock_skew = clock_skew
        self.max_pages = max_pages
        self._templates: dict[tuple[str, str], str] = {}

    async def conversation_of(self, entry: OutboxEntry) -> str | None:
        """The entry's conversation id; for a phone without one yet, found by searching."""
        if entry.conversation_id:
            return entry.conversation_id
        page = await self._client.conversations.list(search_query=entry.phone)
        for conversation in page:
            if conversation.contact.phone == entry.phone and conversation.id:
                return conversation.id
        return None

    async def expected_body(self, entry: OutboxEntry) -> str | None:
        """The body the server stores for this entry; None when it cannot be known."""
        payload = entry.payload
        if entry.kind is not Kind.TEMPLATE:
            return payload.text or ""
        if payload.expected_body is not None:
            return payload.expected_body
        keyword, language = payload.template_keyword, payload.template_language
        if not keyword or not language:
            return None
        text = self._templates.get((keyword, language))
        if text is None:
            async for template in self._client.templates.iterate(search_query=keyword):
                if template.keyword == keyword and template.language == language:
                    text = template.text or ""
                    self._templates[(keyword, language)] = text
                    break
        if text is None:
            return None
        return fill_template(text, payload.tags)

    @staticmethod
    def _media_url(entry: OutboxEntry) -> str | None:
        if entry.kind is Kind.TEMPLATE:
            return entry.payload.attachment
        return entry.payload.media_url

    async def candidates(self, entry: OutboxEntry) -> list[Candidate]:
        """Outbound messages that could be this entry, oldest first (claims not applied).

        Raises the client's exceptions when the server cannot be read; an empty
        list means "looked, not there".
        """
        conversation_id = await self.conversation_of(entry)
        body = await self.expected_body(entry)
        if conversation_id is None or body is None:
            return []
        body = _norm(body)
        media_url = _norm(self._media_url(entry))
        since = (entry.attempted_at or entry.created_at) - self.clock_skew
        found: dict[str, Candidate] = {}
        page = 1
        while page <= self.max_pages:
            result = await self._client.conversations.messages(conversation_id, page=page)
            older = False
            for message in result:
                sent_at = _seconds(message.sent_at)
                if sent_at is not None and sent_at < since:
                    older = True
                    continue
                if message.id and self._matches(message, body, media_url):
                    found[message.id] = Candidate(message.id, conversation_id, sent_at or 0.0)
            if older or not result.has_next():
                break
            page += 1
        return sorted(found.values(), key=lambda c: c.sent_at)

    @staticmethod
    def _matches(message: Message, body: str, media_url: str) -> bool:
        return (
            message.direction == "outbound"
            and _norm(message.body) == body
            and _norm(message.media_url) == media_url
        )

    async def find(self, entry: OutboxEntry, claimed: Collection[str]) -> Candidate | None:
        """The oldest matching message not in ``claimed``, or None."""
        if entry.server_message_id:
            claimed = set(claimed) - {entry.server_message_id}
        for candidate in await self.candidates(entry):
            if candidate.message_id not in claimed:
                return candidate
        return None
