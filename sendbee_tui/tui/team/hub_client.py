"""The app's side of the hub's ``/_team/*`` endpoints: presence and claims.

The hub speaks the API's envelope and authenticates like every API call, so
these requests go through the app's own :class:`~sendbee_tui.api.SendbeeClient`
transport (same pool, same signed token, credentials redacted in logs and
errors).  Documents are parsed defensively into small frozen values: every
name in them was typed by a colleague into the agents file, so it is cleaned
of control characters and bounded here, before any widget sees it.

No Textual in this module: it is tested on its own against a hub.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sendbee_tui.api import APIError, SendbeeClient
from sendbee_tui.tui.safe_text import clean

__all__ = [
    "Claim",
    "ClaimHeld",
    "ConversationPresence",
    "PresenceDoc",
    "TeamHub",
    "parse_claim",
    "parse_presence",
]

_MAX_NAME = 80
_MAX_ID = 200


def _text(value: object, limit: int) -> str:
    """Server text as shown: cleaned of control characters, on one line, bounded."""
    return " ".join(clean(value if isinstance(value, str) else "").split())[:limit]


def _name(value: object) -> str:
    """A colleague's name as shown ("?" when unusable)."""
    return _text(value, _MAX_NAME) or "?"


def _id(value: object) -> str:
    return value.strip()[:_MAX_ID] if isinstance(value, str) else ""


@dataclass(frozen=True)
class Claim:
    """ "``agent`` is handling ``conversation_id``" (since ``claimed_at``, Unix seconds)."""

    conversation_id: str
    agent: str
    member_id: str = ""
    claimed_at: float = 0.0


@dataclass(frozen=True)
class ConversationPresence:
    """The *other* agents who have one conversation open, and those typing in it."""

    viewing: tuple[str, ...] = ()
    typing: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresenceDoc:
    """The hub's presence document (the caller's own agent is not in ``conversations``)."""

    online: tuple[str, ...] = ()
    conversations: Mapping[str, ConversationPresence] = field(default_factory=dict)


class ClaimHeld(Exception):
    """409 ``claimed``: another agent holds the conversation; ``holder`` says who."""

    def __init__(self, holder: Claim, detail: str) -> None:
        super().__init__(detail)
        self.holder = holder
        self.detail = detail


def parse_claim(raw: object) -> Claim | None:
    """A claim from the hub's JSON, or None when it is not one."""
    if not isinstance(raw, Mapping):
        return None
    conversation_id = _id(raw.get("conversation_id"))
    if not conversation_id:
        return None
    when = raw.get("claimed_at")
    return Claim(
        conversation_id=conversation_id,
        agent=_name(raw.get("agent")),
        member_id=_id(raw.get("member_id")),
        claimed_at=float(when) if isinstance(when, int | float) else 0.0,
    )


def _names(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(_name(item) for item in raw[:50] if isinstance(item, str))


def parse_presence(raw: object) -> PresenceDoc:
    """The presence document from the hub's JSON (anything malformed is left out)."""
    if not isinstance(raw, Mapping):
        return PresenceDoc()
    online = raw.get("online")
    names = tuple(
        _name(item.get("name"))
        for item in (online if isinstance(online, list) else [])[:500]
        if isinstance(item, Mapping)
    )
    conversations: dict[str, ConversationPresence] = {}
    listed = raw.get("conversations")
    if isinstance(listed, Mapping):
        for conversation_id, entry in listed.items():
            key = _id(conversation_id)
            if not key or not isinstance(entry, Mapping):
                continue
            conversations[key] = ConversationPresence(
                viewing=_names(entry.get("viewing")), typing=_names(entry.get("typing"))
            )
    return PresenceDoc(online=names, conversations=conversations)


def _holder(exc: APIError) -> Claim | None:
    """The holder in a 409 ``claimed`` answer (None for any other error)."""
    if exc.status != 409 or exc.type != "claimed" or exc.response is None:
        return None
    try:
        body: Any = exc.response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, Mapping) else None
    return parse_claim(error.get("holder")) if isinstance(error, Mapping) else None


class TeamHub:
    """Presence and claims on the hub, through ``client``'s transport."""

    def __init__(self, client: SendbeeClient) -> None:
        self._transport = client.transport

    async def report_presence(self, conversation_id: str | None, typing: bool) -> PresenceDoc:
        """Say what this session looks at; the answer is everyone's presence.

        Not retried: the next report follows within seconds anyway.
        """
        answer = await self._transport.request(
            "POST",
            "/_team/presence",
            json={"conversation_id": conversation_id, "typing": typing},
            retry=False,
        )
        return parse_presence(answer.data)

    async def claims(self) -> dict[str, Claim]:
        """Every claim, by conversation id."""
        answer = await self._transport.request("GET", "/_team/claims", retry=False)
        data = answer.data if isinstance(answer.data, list) else []
        parsed = (parse_claim(item) for item in data)
        return {c.conversation_id: c for c in parsed if c is not None}

    async def claim(self, conversation_id: str, *, force: bool = False) -> Claim:
        """Claim ``conversation_id``; :class:`ClaimHeld` when another agent holds it."""
        try:
            answer = await self._transport.request(
                "POST",
                "/_team/claims",
                json={"conversation_id": conversation_id, "force": force},
                idempotent=True,  # claiming twice is the same claim (the hub keeps the time)
            )
        except APIError as exc:
            holder = _holder(exc)
            if holder is not None:
                raise ClaimHeld(holder, _text(exc.detail, 300)) from None
            raise
        claim = parse_claim(answer.data)
        if claim is None:
            raise APIError(answer.response.status_code, "not a claim", "invalid_response")
        return claim

    async def release(self, conversation_id: str, *, force: bool = False) -> Claim | None:
        """Release ``conversation_id``: the claim released, or None if nobody held it."""
        try:
            answer = await self._transport.request(
                "DELETE",
                "/_team/claims",
                json={"conversation_id": conversation_id, "force": force},
            )
        except APIError as exc:
            holder = _holder(exc)
            if holder is not None:
                raise ClaimHeld(holder, _text(exc.detail, 300)) from None
            raise
        data = answer.data
        return parse_claim(data.get("released")) if isinstance(data, Mapping) else None
