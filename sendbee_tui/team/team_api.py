"""The hub's team endpoints under ``/_team/``: who am I, presence, claims, audit.

Authenticated like every hub call (the session's key and token), answered in
the API's envelope (``{"data": ...}`` / ``{"error": {"detail", "type"}}``) so
the app can call them through its own client's transport.  The documents are
described in docs/team-server.md, which the app side is written against.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sendbee_tui.team.teamstore import ClaimConflict

if TYPE_CHECKING:
    from sendbee_tui.team.hub import Hub
    from sendbee_tui.team.sessions import HubSession

__all__ = [
    "delete_claim",
    "get_audit",
    "get_claims",
    "get_presence",
    "me",
    "post_claim",
    "post_presence",
]

logger = logging.getLogger(__name__)

_MAX_ID = 200


def _error(status: int, detail: str, kind: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"detail": detail, "type": kind, **extra}}, status_code=status)


async def _body(request: Request) -> dict[str, Any] | JSONResponse:
    raw = await request.body()
    if len(raw) > 64 * 1024:
        return _error(413, "Request body too large", "payload_too_large")
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        return _error(400, "The request body is not valid JSON", "invalid_json")
    if not isinstance(body, dict):
        return _error(400, "The request body must be a JSON object", "invalid_json")
    return body


def _conversation_id(body: dict[str, Any], *, required: bool) -> str | JSONResponse | None:
    value = body.get("conversation_id")
    if value is None:
        if required:
            return _error(400, "Missing required parameter 'conversation_id'", "missing_parameter")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_ID:
        return _error(400, "'conversation_id' must be a conversation id", "invalid_type")
    return value.strip()


def _flag(body: dict[str, Any], name: str) -> bool | JSONResponse:
    value = body.get(name, False)
    if not isinstance(value, bool):
        return _error(400, f"'{name}' must be true or false", "invalid_type")
    return value


def _conflict(exc: ClaimConflict) -> JSONResponse:
    holder = exc.holder
    since = datetime.fromtimestamp(holder.claimed_at, timezone.utc).strftime("%H:%M UTC")
    return _error(
        409,
        f"{holder.agent_name} is handling this conversation (since {since})",
        "claimed",
        holder=holder.as_json(),
    )


async def me(hub: Hub, session: HubSession, request: Request) -> Response:
    agent = session.agent
    return JSONResponse(
        {
            "data": {
                "name": agent.name,
                "member_id": agent.member_id,
                "slug": agent.slug,
                "session_id": session.id,
            }
        }
    )


async def get_presence(hub: Hub, session: HubSession, request: Request) -> Response:
    snapshot = hub.presence.snapshot(hub.sessions.active(), viewer=session.agent)
    return JSONResponse({"data": snapshot})


async def post_presence(hub: Hub, session: HubSession, request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    conversation = _conversation_id(body, required=False)
    if isinstance(conversation, JSONResponse):
        return conversation
    typing = _flag(body, "typing")
    if isinstance(typing, JSONResponse):
        return typing
    hub.presence.report(session, conversation, typing)
    snapshot = hub.presence.snapshot(hub.sessions.active(), viewer=session.agent)
    return JSONResponse({"data": snapshot})


async def get_claims(hub: Hub, session: HubSession, request: Request) -> Response:
    return JSONResponse({"data": [c.as_json() for c in hub.store.claims()]})


async def post_claim(hub: Hub, session: HubSession, request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    conversation = _conversation_id(body, required=True)
    if isinstance(conversation, JSONResponse):
        return conversation
    assert conversation is not None
    force = _flag(body, "force")
    if isinstance(force, JSONResponse):
        return force
    try:
        claim, previous = hub.store.claim(conversation, session.agent, force=force)
    except ClaimConflict as exc:
        return _conflict(exc)
    if previous is None:
        hub.store.record(session.agent, "claim", conversation, "ok")
        logger.info("agent %s: claim conversation=%s", session.agent.name, conversation)
    elif previous.agent_slug != session.agent.slug:
        hub.store.record(
            session.agent, "claim_taken_over", conversation, f"from {previous.agent_name}"
        )
        logger.info(
            "agent %s: claim conversation=%s taken over from %s",
            session.agent.name,
            conversation,
            previous.agent_name,
        )
    return JSONResponse({"data": claim.as_json()})


async def delete_claim(hub: Hub, session: HubSession, request: Request) -> Response:
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    if "conversation_id" not in body and request.query_params.get("conversation_id"):
        body["conversation_id"] = request.query_params["conversation_id"]
    conversation = _conversation_id(body, required=True)
    if isinstance(conversation, JSONResponse):
        return conversation
    assert conversation is not None
    force = _flag(body, "force")
    if isinstance(force, JSONResponse):
        return force
    try:
        released = hub.store.release(conversation, session.agent, force=force)
    except ClaimConflict as exc:
        return _conflict(exc)
    if released is not None:
        hub.store.record(session.agent, "release", conversation, "ok")
        logger.info("agent %s: release conversation=%s", session.agent.name, conversation)
    return JSONResponse({"data": {"released": released.as_json() if released else None}})


async def get_audit(hub: Hub, session: HubSession, request: Request) -> Response:
    conversation = request.query_params.get("conversation_id") or None
    try:
        limit = max(1, min(500, int(request.query_params.get("limit", "50"))))
    except ValueError:
        return _error(400, "'limit' must be an integer", "invalid_type")
    entries = hub.store.audit(limit, conversation)
    return JSONResponse(
        {
            "data": [
                {
                    "at": int(e.at),
                    "agent": e.agent_name,
                    "action": e.action,
                    "conversation_id": e.conversation_id,
                    "outcome": e.outcome,
                }
                for e in entries
            ]
        }
    )
