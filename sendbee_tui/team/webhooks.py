"""The webhook receiver: Sendbee tells the hub what changed, so nobody has to poll for it.

Subscribe ``http://HOST:PORT/webhook`` (the ``--webhook-listen`` address as
Sendbee reaches it) to the message, conversation and contact events.  Each
request must carry ``X-Authorization`` signed with the account's API secret
(:meth:`SendbeeAuth.verify`: right signature, fresh timestamp); anything else
gets 401 and changes nothing.  A valid event drops the hub's cached answers it
makes stale, so every session sees the change on its next (local, cheap) poll,
and tells the hub that webhooks are live (its safety refresh slows down).
"""

from __future__ import annotations

import json
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sendbee_tui.api.auth import SendbeeAuth
from sendbee_tui.team.hub import Hub, error_response

__all__ = ["WEBHOOK_PATH", "build_webhook_app"]

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhook"
_MAX_BODY = 1024 * 1024


def build_webhook_app(hub: Hub, auth: SendbeeAuth) -> Starlette:
    """The receiver as an ASGI app; ``auth`` holds the account's API secret."""

    async def receive(request: Request) -> Response:
        if not auth.verify(request.headers.get("x-authorization")):
            logger.warning("webhook refused: bad or missing X-Authorization")
            return error_response(401, "Invalid X-Authorization", "unauthorized")
        raw = await request.body()
        if len(raw) > _MAX_BODY:
            return error_response(413, "Request body too large", "payload_too_large")
        try:
            body = json.loads(raw)
        except ValueError:
            return error_response(400, "The body is not valid JSON", "invalid_json")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return error_response(400, 'Expected {"type": event, "data": {...}}', "invalid")
        hub.webhook_received(body["type"], body.get("data"))
        logger.debug("webhook %s received", body["type"])
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route(WEBHOOK_PATH, receive, methods=["POST"])])
