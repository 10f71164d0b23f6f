"""The request pipeline every route runs through.

In order: auth (401) -> rate limit (429) -> read the body (413) -> injected
latency -> injected error -> parse parameters (400) -> handler -> envelope,
and for the two send routes, after the handler committed: the send fault.
Control routes (``/_sandbox``) skip the rate limit and the faults. Handlers
only parse parameters and call the domain; an :class:`ApiError` becomes the
contract's error envelope, and anything unexpected is logged and answered
with a generic 500 that never carries a traceback.

The body is read before the latency so that, while waiting, the only thing the
connection can tell us is that the client went away: such a request is not
carried out and costs one log line. Waits end at once when the server stops.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sendbee_tui.sandbox.auth import check_token
from sendbee_tui.sandbox.errors import ApiError, bad_request
from sendbee_tui.sandbox.web.connection import (
    DropConnection,
    HoldResponse,
    NoAnswer,
    gone_or_stopping,
)
from sendbee_tui.sandbox.web.context import Context, Handler, RouteKind
from sendbee_tui.sandbox.web.envelope import error_response, json_response
from sendbee_tui.sandbox.web.params import Params

log = logging.getLogger("sendbee_tui.sandbox.web")

MAX_BODY = 1024 * 1024


class ClientGone(Exception):
    """The client closed the connection before we had its whole request."""


def _too_large() -> ApiError:
    return ApiError(413, f"Request body too large (max {MAX_BODY} bytes)", "payload_too_large")


async def read_body(request: Request) -> bytes:
    """The whole body, at most :data:`MAX_BODY` bytes (413 past it, streamed or not)."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise _too_large()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object body (empty means no parameters), or a precise 400."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise bad_request("Request body is not valid UTF-8", "malformed_json") from None
    except json.JSONDecodeError as exc:
        raise bad_request(
            f"Malformed JSON body: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            "malformed_json",
        ) from None
    except RecursionError:
        raise bad_request("Malformed JSON body: nested too deeply", "malformed_json") from None
    if not isinstance(data, dict):
        raise bad_request("JSON body must be an object", "malformed_json")
    try:
        # JSON may carry lone surrogates ("\ud800") that SQLite cannot store as UTF-8.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(
            "JSON body contains invalid Unicode (a lone surrogate escape)", "malformed_json"
        ) from None
    except (RecursionError, ValueError):
        raise bad_request("Malformed JSON body: nested too deeply", "malformed_json") from None
    return data


class Pipeline:
    """Turns route handlers into Starlette endpoints that run the whole pipeline."""

    def __init__(
        self, ctx: Context, *, api_key: str, api_secret: str, auth_clock: Callable[[], float]
    ) -> None:
        self.ctx = ctx
        self._api_key = api_key.encode("utf-8")
        self._api_secret = api_secret
        self._auth_clock = auth_clock

    def auth(self, request: Request) -> None:
        key = request.headers.get("x-api-key")
        if not key:
            raise ApiError(401, "Missing X-Api-Key header", "authentication_failed")
        if not hmac.compare_digest(key.encode("utf-8", "replace"), self._api_key):
            raise ApiError(401, "Invalid X-Api-Key", "authentication_failed")
        reason = check_token(
            self._api_secret, request.headers.get("x-auth-token"), now=self._auth_clock()
        )
        if reason is not None:
            raise ApiError(401, reason, "authentication_failed")

    def rate_limit(self) -> None:
        limit = self.ctx.faults.rate_limit_per_minute
        retry = self.ctx.rate_limiter.check(limit)
        if retry is not None:
            raise ApiError(
                429,
                f"Too many requests: limit is {limit} per minute; retry in {retry} s",
                "rate_limit_exceeded",
                {"Retry-After": str(retry)},
            )

    def inject_error(self) -> None:
        faults = self.ctx.faults
        if faults.error_rate > 0 and self.ctx.rng.random() < faults.error_rate:
            raise ApiError(
                faults.error_status,
                "Injected server error (sandbox error_rate)",
                "server_error",
                {"Retry-After": "1"} if faults.error_status == 503 else None,
            )

    def send_fault(self, result: Any) -> Response | None:
        """After a committed send: the response that replaces its answer, if it is hit."""
        mode = self.ctx.faults.take_send_fault(self.ctx.rng)
        if mode is None:
            return None
        message_id = result["data"]["message_id"] if isinstance(result, dict) else "?"
        if mode == "drop":
            log.info(
                "send fault 'drop': message %s committed; closing the connection unanswered",
                message_id,
            )
            return DropConnection()
        log.info("send fault 'hang': message %s committed; holding the response", message_id)
        return HoldResponse(self.ctx.stopping, f"held response for message {message_id}")

    def endpoint(
        self, handler: Handler, kind: RouteKind = "api"
    ) -> Callable[[Request], Awaitable[Response]]:
        ctx = self.ctx
        faulty = kind != "control"

        async def run(request: Request) -> Response:
            method = request.method
            try:
                self.auth(request)
                if faulty:
                    self.rate_limit()
                latency = ctx.faults.latency_ms if faulty else 0
                raw = await read_body(request) if method != "GET" or latency > 0 else b""
                if latency > 0:
                    outcome = await gone_or_stopping(request.receive, ctx.stopping, latency / 1000)
                    if outcome == "gone":
                        log.info(
                            "client went away during the injected latency; not carried out: %s %s",
                            method,
                            request.url.path,
                        )
                        return NoAnswer()
                    if outcome == "stopping":
                        log.info(
                            "server stopping during the injected latency; not carried out: %s %s",
                            method,
                            request.url.path,
                        )
                        return DropConnection()
                if faulty:
                    self.inject_error()
                params: dict[str, Any] = dict(request.query_params)
                if method != "GET":
                    params.update(parse_json_object(raw))
                result = handler(ctx, Params(params, method == "GET"), request)
                if isinstance(result, Response):
                    return result
                if kind == "send":
                    faulted = self.send_fault(result)
                    if faulted is not None:
                        return faulted
                return json_response(result)
            except ApiError as exc:
                return error_response(exc.status, exc.detail, exc.type, exc.headers)
            except ClientGone:
                # A malformed body (uvicorn has logged it and answered 400) or a client that
                # hung up mid-upload: nothing to answer, nothing more to log.
                log.debug("client went away while sending %s %s", method, request.url.path)
                return NoAnswer()
            except Exception:
                log.exception("sandbox bug while handling %s %s", method, request.url.path)
                return error_response(500, "Internal sandbox error", "server_error")

        return run
