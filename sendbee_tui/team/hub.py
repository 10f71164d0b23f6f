"""The hub: a local Sendbee-compatible API in front of the real one, shared by all sessions.

Every SSH session's app is pointed at the hub (``SENDBEE_BASE_URL``) with
credentials made up for that session.  The hub

* checks them (:class:`~sendbee_tui.team.sessions.SessionRegistry`),
* answers reads from a short cache, coalescing identical ones
  (:class:`~sendbee_tui.team.cache.ResponseCache`), so N agents polling cost
  about one agent's requests,
* passes writes straight through, never retried, stamping sends with the
  agent's Sendbee ``member_id`` as ``agent_id`` and recording them in the audit
  trail (no text), then drops the cached answers they made stale,
* serves the team endpoints under ``/_team/`` (:mod:`sendbee_tui.team.team_api`).

Failure answers are chosen for what the session's client will conclude
(``sendbee_tui.tui.errors.may_have_arrived``): a read that got no answer is a
502 (the client retries reads on it); a write whose answer was lost is a 504
(a 5xx: "may have arrived, check before sending again", and the client never
retries a POST); a write that surely never left is a 503 saying so, still a
5xx because the client cannot tell, and assuming "maybe sent" is the safe side.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sendbee_tui.team import team_api
from sendbee_tui.team.cache import CachedResponse, CacheKey, ResponseCache
from sendbee_tui.team.scopes import ACTIONS, ALLOWED, SEND_PATHS, scope_for_event, scope_for_write
from sendbee_tui.team.sessions import HubSession, Presence, SessionRegistry
from sendbee_tui.team.teamstore import TeamStore
from sendbee_tui.team.upstream import Upstream, UpstreamFailure

__all__ = ["Hub", "error_response"]

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


def error_response(status: int, detail: str, kind: str, **extra: Any) -> JSONResponse:
    """The contract's error envelope."""
    return JSONResponse({"error": {"detail": detail, "type": kind, **extra}}, status_code=status)


class Hub:
    """Sessions, cache, presence and claims around one :class:`Upstream`.

    ``cache_ttl`` is the normal lifetime of a cached read; while webhooks
    arrive (one in the last ``webhook_grace`` seconds) the cache is kept fresh
    by them and reads live ``webhook_ttl`` seconds, a slow safety net.
    """

    def __init__(
        self,
        upstream: Upstream,
        store: TeamStore,
        *,
        cache_ttl: float = 3.0,
        webhook_ttl: float = 30.0,
        webhook_grace: float = 600.0,
        presence_ttl: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.upstream = upstream
        self.store = store
        self.cache_ttl = cache_ttl
        self.webhook_ttl = webhook_ttl
        self.webhook_grace = webhook_grace
        self._clock = clock
        self._last_webhook: float | None = None
        self.sessions = SessionRegistry()
        self.presence = Presence(presence_ttl, clock)
        self.cache = ResponseCache(self.current_ttl, clock=clock)
        self.app = self._build()

    def __repr__(self) -> str:
        return f"Hub(upstream={self.upstream!r}, sessions={len(self.sessions.active())})"

    # -- freshness --------------------------------------------------------------------
    def current_ttl(self) -> float:
        """Seconds a cached read stays valid right now."""
        if self._last_webhook is not None and self._clock() - self._last_webhook < (
            self.webhook_grace
        ):
            return self.webhook_ttl
        return self.cache_ttl

    def webhook_received(self, event: str, data: Any) -> None:
        """A verified Sendbee webhook: drop what it makes stale; webhooks are live now."""
        self._last_webhook = self._clock()
        scope = scope_for_event(event, data)
        dropped = self.cache.invalidate(scope.paths, scope.conversation_ids)
        logger.debug("webhook %s invalidated %d cached answer(s)", event, dropped)

    # -- sessions ---------------------------------------------------------------------
    def end_session(self, session: HubSession) -> None:
        self.sessions.close(session)
        self.presence.drop(session)

    def authenticate(self, request: Request) -> HubSession | None:
        return self.sessions.authenticate(
            request.headers.get("x-api-key"), request.headers.get("x-auth-token")
        )

    # -- the app ----------------------------------------------------------------------
    def _build(self) -> Starlette:
        def authed(
            handler: Callable[[Hub, HubSession, Request], Any],
        ) -> Callable[[Request], Any]:
            async def endpoint(request: Request) -> Response:
                session = self.authenticate(request)
                if session is None:
                    return error_response(
                        401, "Unknown or expired team session credentials", "unauthorized"
                    )
                response: Response = await handler(self, session, request)
                return response

            return endpoint

        routes = [
            Route("/_team/me", authed(team_api.me), methods=["GET"]),
            Route("/_team/presence", authed(team_api.get_presence), methods=["GET"]),
            Route("/_team/presence", authed(team_api.post_presence), methods=["POST"]),
            Route("/_team/claims", authed(team_api.get_claims), methods=["GET"]),
            Route("/_team/claims", authed(team_api.post_claim), methods=["POST"]),
            Route("/_team/claims", authed(team_api.delete_claim), methods=["DELETE"]),
            Route("/_team/audit", authed(team_api.get_audit), methods=["GET"]),
            Route(
                "/{path:path}",
                authed(Hub._proxy),
                methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"],
            ),
        ]
        return Starlette(routes=routes)

    @staticmethod
    def _forward(response: CachedResponse) -> Response:
        headers = dict(response.headers)
        media = headers.pop("content-type", "application/json")
        return Response(
            response.body, status_code=response.status, headers=headers, media_type=media
        )

    async def _proxy(self, session: HubSession, request: Request) -> Response:
        path = "/" + str(request.path_params["path"]).strip("/")
        methods = ALLOWED.get(path)
        if methods is None:
            return error_response(
                404, f"{path} is not available through the team server", "not_found"
            )
        method = request.method
        if method not in methods:
            return error_response(405, f"{method} {path} is not supported", "method_not_allowed")
        query = request.url.query
        if method == "GET":
            key = CacheKey(path, query, request.query_params.get("conversation_id") or None)
            try:
                answer, _ = await self.cache.get(
                    key, lambda: self.upstream.send("GET", path, query, None)
                )
            except UpstreamFailure as exc:
                return error_response(502, f"Sendbee did not answer ({exc})", "upstream_error")
            return self._forward(answer)
        return await self._write(session, request, method, path, query)

    async def _write(
        self, session: HubSession, request: Request, method: str, path: str, query: str
    ) -> Response:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return error_response(413, "Request body too large", "payload_too_large")
        try:
            body: Any = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return error_response(400, "The request body is not valid JSON", "invalid_json")
        if not isinstance(body, dict):
            return error_response(400, "The request body must be a JSON object", "invalid_json")
        agent = session.agent
        if path in SEND_PATHS:
            # Whatever the session sent: the message goes out as this agent.
            body["agent_id"] = agent.member_id
        action = ACTIONS.get((method, path), f"{method} {path}")
        conversation = (
            body.get("conversation_id") if isinstance(body.get("conversation_id"), str) else None
        )
        try:
            answer = await self.upstream.send(method, path, query, json.dumps(body).encode("utf-8"))
        except UpstreamFailure as exc:
            return self._write_failed(session, action, path, body, conversation, exc)
        decoded = _json(answer.body)
        if path in SEND_PATHS:
            conversation = _sent_conversation(decoded) or conversation
        scope = scope_for_write(path, body, decoded)
        self.cache.invalidate(scope.paths, scope.conversation_ids)
        outcome = str(answer.status)
        self.store.record(agent, action, conversation, outcome)
        logger.info(
            "agent %s (session %s): %s conversation=%s -> %s",
            agent.name,
            session.id,
            action,
            conversation or "-",
            outcome,
        )
        if (
            path == "/conversation"
            and body.get("folder") == "done"
            and answer.status < 300
            and conversation
        ):
            released = self.store.release(conversation, None, force=True)
            if released is not None:
                self.store.record(agent, "release_on_done", conversation, "ok")
        return self._forward(answer)

    def _write_failed(
        self,
        session: HubSession,
        action: str,
        path: str,
        body: Mapping[str, Any],
        conversation: str | None,
        exc: UpstreamFailure,
    ) -> Response:
        agent = session.agent
        outcome = "unknown (answer lost)" if exc.sent else "not sent"
        self.store.record(agent, action, conversation, outcome)
        logger.warning(
            "agent %s (session %s): %s conversation=%s -> %s",
            agent.name,
            session.id,
            action,
            conversation or "-",
            outcome,
        )
        if exc.sent:
            scope = scope_for_write(path, body, None)
            self.cache.invalidate(scope.paths, scope.conversation_ids)
            return error_response(
                504,
                "Sendbee's answer was lost: this may have arrived. Check the conversation "
                "before trying again.",
                "upstream_answer_lost",
            )
        return error_response(
            503,
            "The team server could not reach Sendbee; this was not sent.",
            "upstream_unreachable",
        )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _sent_conversation(answer: Any) -> str | None:
    data = answer.get("data") if isinstance(answer, Mapping) else None
    if isinstance(data, list) and data:
        data = data[0]
    value = data.get("id") if isinstance(data, Mapping) else None
    return value if isinstance(value, str) else None
