"""The HTTP layer: Starlette routes, auth, envelope, validation, faults and rate limits.

Every route goes through :meth:`SandboxApp.endpoint`, which runs, in order:
auth (401) -> rate limit (429) -> injected latency/errors -> body parsing
(413/400) -> handler -> envelope. Handlers only parse parameters and call
:class:`~sendbee_tui.sandbox.service.Sandbox`; any :class:`ApiError` becomes the
contract's error envelope, and anything unexpected is logged and answered with
a generic 500 that never carries a traceback.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hmac
import json
import logging
import math
import random
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sendbee_tui.sandbox.auth import check_token
from sendbee_tui.sandbox.errors import ApiError, bad_request
from sendbee_tui.sandbox.service import (
    CONTACT_STATUSES,
    FIELD_TYPES,
    FOLDERS,
    MAX_TEXT,
    MEDIA_EXTENSIONS,
    MOVABLE_FOLDERS,
    TEMPLATE_STATUSES,
    WEBHOOK_EVENTS,
    Sandbox,
    normalize_phone,
)
from sendbee_tui.sandbox.simulate import Simulator
from sendbee_tui.sandbox.webhooks import DEFAULT_BACKOFF, WebhookDispatcher

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
_MISSING = object()

Handler = Callable[["Params", Request], Awaitable[Any]]


@dataclass
class Faults:
    """Runtime-adjustable fault injection (``POST /_sandbox/faults``)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_per_minute: int | None = None
    #: Status of injected errors: 500 by default; 502/503/504 exercise a client's retries.
    error_status: int = 500


class RateLimiter:
    """A sliding one-minute window over request times, per business (one per sandbox)."""

    def __init__(self) -> None:
        self._hits: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def check(self, limit: int | None) -> int | None:
        """Record a request; return seconds to wait when over ``limit``, else None."""
        now = time.monotonic()
        with self._lock:
            while self._hits and self._hits[0] <= now - 60:
                self._hits.popleft()
            if limit is not None and len(self._hits) >= limit:
                return max(1, math.ceil(self._hits[0] + 60 - now))
            self._hits.append(now)
            return None

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()


class Params:
    """Typed access to request parameters, raising precise 400s.

    GET parameters arrive as strings (lists comma-joined, booleans ``1``/``0``),
    JSON bodies as real types; both are accepted where the meaning is clear.
    """

    def __init__(self, data: dict[str, Any], from_query: bool) -> None:
        self.data = data
        self.from_query = from_query

    def raw(self, name: str) -> Any:
        return self.data.get(name, _MISSING)

    def text(
        self, name: str, *, required: bool = False, max_len: int = 1000, allow_empty: bool = False
    ) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise bad_request(f"Missing required parameter '{name}'", "missing_parameter")
            return None
        if not isinstance(value, str):
            raise bad_request(
                f"'{name}' must be a string, got {type(value).__name__}", "invalid_type"
            )
        if not value.strip() and not allow_empty:
            if required:
                raise bad_request(f"'{name}' must not be empty", "missing_parameter")
            return None
        if len(value) > max_len:
            raise bad_request(f"'{name}' is too long (max {max_len} characters)", "too_long")
        return value

    def enum(self, name: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        if value not in choices:
            raise bad_request(
                f"'{name}' must be one of {', '.join(choices)}; got {value!r}", "invalid_enum"
            )
        return value

    def integer(
        self, name: str, default: int, *, minimum: int = 1, maximum: int | None = 1_000_000_000
    ) -> int:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise bad_request(f"'{name}' must be an integer", "invalid_type")
        if isinstance(value, str):
            if not re.fullmatch(r"\s*-?[0-9]{1,30}\s*", value):
                raise bad_request(f"'{name}' must be an integer, got {value!r}", "invalid_type")
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise bad_request(f"'{name}' must be an integer", "invalid_type")
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
            raise bad_request(f"'{name}' must be {bound}, got {value}", "out_of_range")
        return value

    def number(self, name: str) -> float | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"'{name}' must be a Unix timestamp", "invalid_type")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise bad_request(
                f"'{name}' must be a Unix timestamp (seconds), got {value!r}", "invalid_type"
            ) from None
        if not math.isfinite(number) or not 0 <= number < 1e11:
            raise bad_request(f"'{name}' must be a non-negative Unix timestamp", "out_of_range")
        return number

    def flag(self, name: str, default: bool = False, *, required: bool = False) -> bool:
        value = self.data.get(name)
        if value is None:
            if required:
                raise bad_request(f"Missing required parameter '{name}'", "missing_parameter")
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("1", "0", "true", "false"):
            return value.lower() in ("1", "true")
        raise bad_request(f"'{name}' must be a boolean (true/false), got {value!r}", "invalid_type")

    def str_list(self, name: str, *, max_items: int = 100) -> list[str] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            items = [part.strip() for part in value.split(",") if part.strip()]
        elif isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise bad_request(f"'{name}' must be a list of strings", "invalid_type")
            items = [v.strip() for v in value if v.strip()]
        else:
            raise bad_request(f"'{name}' must be a list of strings", "invalid_type")
        if len(items) > max_items:
            raise bad_request(f"'{name}' has too many items (max {max_items})", "too_long")
        if any(len(item) > 1000 for item in items):
            raise bad_request(f"an item of '{name}' is too long (max 1000 characters)", "too_long")
        return items

    def mapping(self, name: str) -> dict[str, Any] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(f"'{name}' must be an object", "invalid_type")
        return value

    def placeholders(self, name: str) -> dict[str, str]:
        """``{"1": "John"}``; a list fills ``{{1}}``, ``{{2}}``… in order."""
        value = self.data.get(name)
        if value is None:
            return {}
        if isinstance(value, list):
            value = {str(i + 1): v for i, v in enumerate(value)}
        if not isinstance(value, dict):
            raise bad_request(f'\'{name}\' must be an object like {{"1": "John"}}', "invalid_type")
        out = {}
        for key, item in value.items():
            if isinstance(item, (dict, list)) or item is None:
                raise bad_request(f"'{name}[{key}]' must be a string", "invalid_type")
            out[str(key).strip("{} ")] = str(item)
        return out


def envelope_list(
    request: Request, items: list[Any], total: int, page: int, limit: int
) -> dict[str, Any]:
    """The paginated envelope: data + meta + links (absolute URLs)."""
    last_page = max(1, math.ceil(total / limit)) if limit else 1
    start = (page - 1) * limit
    url = request.url

    def link(p: int | None) -> str | None:
        return None if p is None else str(url.include_query_params(page=p))

    return {
        "data": items,
        "meta": {
            "current_page": page,
            "from": start + 1 if items else None,
            "to": start + len(items) if items else None,
            "per_page": limit,
            "last_page": last_page,
            "total": total,
        },
        "links": {
            "first": link(1),
            "last": link(last_page),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last_page else None,
        },
    }


def error_response(
    status: int, detail: str, type_: str, headers: dict[str, str] | None = None, data: Any = None
) -> JSONResponse:
    body: dict[str, Any] = {"error": {"detail": detail, "type": type_}}
    if data is not None:
        body["data"] = data
    return JSONResponse(body, status_code=status, headers=headers)


class SandboxApp:
    """Owns the Starlette app and the runtime state around a :class:`Sandbox`."""

    #: Seconds the saved data was moved forward when it was opened (``rebase_time``);
    #: clients that keep their own timestamps (read marks) shift them by as much.
    time_shift_seconds: float = 0.0

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        api_key: str,
        api_secret: str,
        faults: Faults,
        simulate: float | None = None,
        auth_clock: Callable[[], float] = time.time,
        webhook_backoff: tuple[float, ...] | None = None,
        ticker_interval: float = 0.25,
    ) -> None:
        self.sandbox = sandbox
        self.api_key = api_key
        self.api_secret = api_secret
        self.faults = faults
        self.auth_clock = auth_clock
        self.rate_limiter = RateLimiter()
        self.ticker_interval = ticker_interval
        self.webhooks = WebhookDispatcher(
            sandbox.webhooks_for,
            api_secret,
            sandbox.clock,
            backoff=webhook_backoff if webhook_backoff is not None else DEFAULT_BACKOFF,
        )
        self.simulator = Simulator(sandbox, interval=simulate) if simulate else None
        self._fault_rng = random.Random()
        self.app = self._build()

    # -- lifecycle ------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        await self.webhooks.start()
        self.sandbox.set_emitter(self.webhooks.emit)
        tasks = [asyncio.create_task(self._ticker(), name="sandbox-status-ticker")]
        if self.simulator is not None:
            tasks.append(asyncio.create_task(self.simulator.run(), name="sandbox-simulator"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.sandbox.set_emitter(lambda event, data: None)
            await self.webhooks.stop()

    async def _ticker(self) -> None:
        """Turn due status changes (sent -> delivered -> read / failed) into webhooks."""
        while True:
            try:
                self.sandbox.advance_statuses()
            except Exception:
                log.exception("status ticker failed")
            await asyncio.sleep(self.ticker_interval)

    # -- request pipeline -----------------------------------------------------------
    def _auth(self, request: Request) -> None:
        key = request.headers.get("x-api-key")
        if not key:
            raise ApiError(401, "Missing X-Api-Key header", "authentication_failed")
        if not hmac.compare_digest(key.encode("utf-8", "replace"), self.api_key.encode("utf-8")):
            raise ApiError(401, "Invalid X-Api-Key", "authentication_failed")
        reason = check_token(
            self.api_secret, request.headers.get("x-auth-token"), now=self.auth_clock()
        )
        if reason is not None:
            raise ApiError(401, reason, "authentication_failed")

    async def _body(self, request: Request) -> dict[str, Any]:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            raise ApiError(
                413, f"Request body too large (max {MAX_BODY} bytes)", "payload_too_large"
            )
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise ApiError(
                    413, f"Request body too large (max {MAX_BODY} bytes)", "payload_too_large"
                )
            chunks.append(chunk)
        raw = b"".join(chunks)
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

    def endpoint(
        self, handler: Handler, *, control: bool = False
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                self._auth(request)
                if not control:
                    retry = self.rate_limiter.check(self.faults.rate_limit_per_minute)
                    if retry is not None:
                        raise ApiError(
                            429,
                            f"Too many requests: limit is {self.faults.rate_limit_per_minute} per"
                            f" minute; retry in {retry} s",
                            "rate_limit_exceeded",
                            {"Retry-After": str(retry)},
                        )
                    if self.faults.latency_ms > 0:
                        await asyncio.sleep(self.faults.latency_ms / 1000)
                    if (
                        self.faults.error_rate > 0
                        and self._fault_rng.random() < self.faults.error_rate
                    ):
                        raise ApiError(
                            self.faults.error_status,
                            "Injected server error (sandbox error_rate)",
                            "server_error",
                            {"Retry-After": "1"} if self.faults.error_status == 503 else None,
                        )
                params: dict[str, Any] = dict(request.query_params)
                from_query = request.method == "GET"
                if not from_query:
                    params.update(await self._body(request))
                result = await handler(Params(params, from_query), request)
                if isinstance(result, Response):
                    return result
                return JSONResponse(result)
            except ApiError as exc:
                return error_response(exc.status, exc.detail, exc.type, exc.headers)
            except Exception:
                log.exception("sandbox bug while handling %s %s", request.method, request.url.path)
                return error_response(500, "Internal sandbox error", "server_error")

        return run

    # -- routes ---------------------------------------------------------------------
    def _build(self) -> Starlette:
        s = self.sandbox
        e = self.endpoint

        def page_limit(p: Params) -> tuple[int, int]:
            return p.integer("page", 1), p.integer("limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)

        def phone_or_wa(p: Params) -> tuple[str | None, str | None]:
            phone = p.text("phone")
            wa = p.text("whatsapp_user_id", max_len=100)
            if phone is None and wa is None:
                raise bad_request(
                    "Either 'phone' or 'whatsapp_user_id' is required", "missing_parameter"
                )
            return (normalize_phone(phone) if phone is not None else None), (
                wa if phone is None else None
            )

        async def contacts(p: Params, r: Request) -> Any:
            page, limit = page_limit(p)
            items, total = s.list_contacts(
                tags=p.str_list("tags") or [],
                status=p.enum("status", CONTACT_STATUSES),
                search_query=p.text("search_query"),
                page=page,
                limit=limit,
            )
            return envelope_list(r, items, total, page, limit)

        async def subscribe(p: Params, r: Request) -> Any:
            phone = normalize_phone(p.text("phone", required=True) or "")
            p.flag("block_notifications", True)
            p.flag("block_automation", True)
            return {
                "data": s.subscribe_contact(
                    phone=phone,
                    name=p.text("name", allow_empty=True),
                    tags=p.str_list("tags") or [],
                    notes=p.str_list("notes") or [],
                    contact_fields=p.mapping("contact_fields") or {},
                )
            }

        async def update_contact(p: Params, r: Request) -> Any:
            phone = p.text("phone")
            return {
                "data": s.update_contact(
                    contact_id=p.text("id", required=True) or "",
                    phone=normalize_phone(phone) if phone is not None else None,
                    name=p.text("name", allow_empty=True),
                    tags=p.str_list("tags"),
                    notes=p.str_list("notes") or [],
                    contact_fields=p.mapping("contact_fields") or {},
                )
            }

        async def tags(p: Params, r: Request) -> Any:
            page, limit = page_limit(p)
            items, total = s.list_tags(name=p.text("name"), page=page, limit=limit)
            return envelope_list(r, items, total, page, limit)

        async def create_tag(p: Params, r: Request) -> Any:
            return {"data": s.create_tag(p.text("name", required=True, max_len=100) or "")}

        async def update_tag(p: Params, r: Request) -> Any:
            return {
                "data": s.update_tag(
                    p.text("id", required=True) or "",
                    p.text("name", required=True, max_len=100) or "",
                )
            }

        async def delete_tag(p: Params, r: Request) -> Any:
            return {"data": s.delete_tag(p.text("id", required=True) or "")}

        async def fields(p: Params, r: Request) -> Any:
            page, limit = page_limit(p)
            items, total = s.list_fields(
                search_query=p.text("search_query"), page=page, limit=limit
            )
            return envelope_list(r, items, total, page, limit)

        async def create_field(p: Params, r: Request) -> Any:
            return {
                "data": s.create_field(
                    p.text("name", required=True, max_len=100) or "",
                    p.enum("type", FIELD_TYPES, required=True) or "",
                    p.str_list("options"),
                )
            }

        async def update_field(p: Params, r: Request) -> Any:
            return {
                "data": s.update_field(
                    p.text("id", required=True) or "",
                    p.text("name", max_len=100),
                    p.enum("type", FIELD_TYPES),
                    p.str_list("options"),
                )
            }

        async def delete_field(p: Params, r: Request) -> Any:
            return {"data": s.delete_field(p.text("id", required=True) or "")}

        async def conversations(p: Params, r: Request) -> Any:
            page, limit = page_limit(p)
            items, total = s.list_conversations(
                folder=p.enum("folder", FOLDERS),
                search_query=p.text("search_query"),
                date_from=p.number("date_from"),
                date_to=p.number("date_to"),
                page=page,
                limit=limit,
            )
            return envelope_list(r, items, total, page, limit)

        async def get_conversation(p: Params, r: Request) -> Any:
            return {"data": s.get_conversation(p.text("conversation_id", required=True) or "")}

        async def move_conversation(p: Params, r: Request) -> Any:
            cid = p.text("conversation_id", required=True) or ""
            folder = p.enum("folder", MOVABLE_FOLDERS, required=True) or ""
            return {"data": s.move_conversation(cid, folder)}

        async def messages(p: Params, r: Request) -> Any:
            cid = p.text("conversation_id", required=True) or ""
            page, limit = page_limit(p)
            items, total = s.list_messages(cid, page=page, limit=limit)
            return envelope_list(r, items, total, page, limit)

        async def templates(p: Params, r: Request) -> Any:
            page, limit = page_limit(p)
            items, total = s.list_templates(
                status=p.enum("status", TEMPLATE_STATUSES),
                search_query=p.text("search_query"),
                page=page,
                limit=limit,
            )
            return envelope_list(r, items, total, page, limit)

        async def send_template(p: Params, r: Request) -> Any:
            phone, wa = phone_or_wa(p)
            keyword = p.text("template_keyword", max_len=200) or p.text("keyword", max_len=200)
            if keyword is None:
                raise bad_request(
                    "Missing required parameter 'template_keyword'", "missing_parameter"
                )
            p.flag("live_inbox", False)
            return {
                "data": s.send_template(
                    phone=phone,
                    whatsapp_user_id=wa,
                    keyword=keyword,
                    language=p.text("language", required=True, max_len=20) or "",
                    tags=p.placeholders("tags"),
                    button_tags=p.placeholders("button_tags"),
                    attachment=p.text("attachment", max_len=2000),
                    prevent_bot_off=p.flag("prevent_bot_off"),
                    agent_id=p.text("agent_id"),
                )
            }

        async def send_message(p: Params, r: Request) -> Any:
            phone, wa = phone_or_wa(p)
            text = p.text("text", max_len=MAX_TEXT, allow_empty=True)
            media_url = p.text("media_url", max_len=2000)
            if not (text and text.strip()) and media_url is None:
                raise bad_request("Either 'text' or 'media_url' is required", "missing_parameter")
            p.flag("live_inbox", False)
            return {
                "data": s.send_message(
                    phone=phone,
                    whatsapp_user_id=wa,
                    text=text,
                    media_url=media_url,
                    prevent_bot_off=p.flag("prevent_bot_off"),
                    agent_id=p.text("agent_id"),
                )
            }

        async def teams(p: Params, r: Request) -> Any:
            items = s.list_teams(p.text("member_id"))
            return envelope_list(r, items, len(items), 1, max(1, len(items)))

        async def members(p: Params, r: Request) -> Any:
            items = s.list_members(p.text("team_id"))
            return envelope_list(r, items, len(items), 1, max(1, len(items)))

        async def chatbot_set(p: Params, r: Request) -> Any:
            cid = p.text("conversation_id", required=True) or ""
            return {"data": s.set_chatbot(cid, p.flag("active", required=True))}

        async def chatbot_status(p: Params, r: Request) -> Any:
            return {"data": s.chatbot_status(p.text("conversation_id", required=True) or "")}

        async def webhook_subscribe(p: Params, r: Request) -> Any:
            url = p.text("url", required=True, max_len=2000) or ""
            if not url.startswith(("http://", "https://")):
                raise bad_request("'url' must be an absolute http(s) URL", "invalid_url")
            event = p.enum("event", WEBHOOK_EVENTS, required=True) or ""
            return {"data": s.subscribe_webhook(url, event)}

        async def rate_request_test(p: Params, r: Request) -> Any:
            return {
                "data": {
                    "detail": "Request counted against the rate limit",
                    "error": False,
                    "type": "ok",
                }
            }

        async def rate_error_test(p: Params, r: Request) -> Any:
            detail = "Rate limit test: too many requests"
            return error_response(
                429,
                detail,
                "rate_limit_exceeded",
                {"Retry-After": "1"},
                data={"detail": detail, "error": True, "type": "rate_limit_exceeded"},
            )

        # -- control endpoints (sandbox only) --
        async def ctl_inbound(p: Params, r: Request) -> Any:
            phone = normalize_phone(p.text("phone", required=True) or "")
            media_type = p.enum("media_type", ("text", *MEDIA_EXTENSIONS, "sticker", "location"))
            text = p.text("text", max_len=MAX_TEXT, allow_empty=True)
            media_url = p.text("media_url", max_len=2000)
            if not (text and text.strip()) and media_url is None:
                raise bad_request("Either 'text' or 'media_url' is required", "missing_parameter")
            return {
                "data": s.inbound(
                    phone=phone,
                    text=text or "",
                    name=p.text("name", max_len=200),
                    media_type=media_type,
                    media_url=media_url,
                )
            }

        async def ctl_faults(p: Params, r: Request) -> Any:
            if r.method == "POST":
                latency = p.integer("latency_ms", self.faults.latency_ms, minimum=0, maximum=60000)
                rate = p.raw("error_rate")
                error_rate = self.faults.error_rate
                if rate is not _MISSING and rate is not None:
                    if (
                        isinstance(rate, bool)
                        or not isinstance(rate, (int, float))
                        or not 0 <= rate <= 1
                    ):
                        raise bad_request(
                            "'error_rate' must be a number between 0 and 1", "out_of_range"
                        )
                    error_rate = float(rate)
                limit = self.faults.rate_limit_per_minute
                if "rate_limit_per_minute" in p.data:
                    raw = p.data["rate_limit_per_minute"]
                    limit = (
                        None
                        if raw in (None, 0)
                        else p.integer("rate_limit_per_minute", 0, minimum=1)
                    )
                self.faults.error_status = p.integer(
                    "error_status", self.faults.error_status, minimum=500, maximum=599
                )
                self.faults.latency_ms, self.faults.error_rate = latency, error_rate
                self.faults.rate_limit_per_minute = limit
                self.rate_limiter.clear()
            return {"data": asdict(self.faults)}

        async def ctl_reset(p: Params, r: Request) -> Any:
            s.reset()
            self.rate_limiter.clear()
            return {"data": {"message": "Sandbox data reset to the demo data set"}}

        async def ctl_deliveries(p: Params, r: Request) -> Any:
            return {
                "data": list(self.webhooks.deliveries),
                "meta": {"pending": self.webhooks.pending()},
            }

        routes = [
            Route("/contacts", e(contacts), methods=["GET"]),
            Route("/contacts", e(update_contact), methods=["PUT"]),
            Route("/contacts/subscribe", e(subscribe), methods=["POST"]),
            Route("/contacts/tags", e(tags), methods=["GET"]),
            Route("/contacts/tags", e(create_tag), methods=["POST"]),
            Route("/contacts/tags", e(update_tag), methods=["PUT"]),
            Route("/contacts/tags", e(delete_tag), methods=["DELETE"]),
            Route("/contacts/fields", e(fields), methods=["GET"]),
            Route("/contacts/fields", e(create_field), methods=["POST"]),
            Route("/contacts/fields", e(update_field), methods=["PUT"]),
            Route("/contacts/fields", e(delete_field), methods=["DELETE"]),
            Route("/conversations", e(conversations), methods=["GET"]),
            Route("/conversation", e(get_conversation), methods=["GET"]),
            Route("/conversation", e(move_conversation), methods=["POST"]),
            Route("/conversations/messages", e(messages), methods=["GET"]),
            Route("/conversations/messages/templates", e(templates), methods=["GET"]),
            Route("/conversations/messages/templates/send", e(send_template), methods=["POST"]),
            Route("/conversations/messages/send", e(send_message), methods=["POST"]),
            Route("/teams/teams", e(teams), methods=["GET"]),
            Route("/teams/members", e(members), methods=["GET"]),
            Route("/automation/chatbot/activity", e(chatbot_set), methods=["PUT"]),
            Route("/automation/chatbot/activity/status", e(chatbot_status), methods=["GET"]),
            Route("/webhooks/subscribe", e(webhook_subscribe), methods=["POST"]),
            Route("/rate-limit/request-test", e(rate_request_test), methods=["GET"]),
            Route("/rate-limit/error-test", e(rate_error_test), methods=["GET"]),
            Route("/_sandbox/inbound", e(ctl_inbound, control=True), methods=["POST"]),
            Route("/_sandbox/faults", e(ctl_faults, control=True), methods=["GET", "POST"]),
            Route("/_sandbox/reset", e(ctl_reset, control=True), methods=["POST"]),
            Route("/_sandbox/webhook-deliveries", e(ctl_deliveries, control=True), methods=["GET"]),
        ]

        async def http_error(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, HTTPException)
            if exc.status_code == 404:
                return error_response(404, f"No such endpoint: {request.url.path}", "not_found")
            if exc.status_code == 405:
                return error_response(
                    405,
                    f"Method {request.method} not allowed on {request.url.path}",
                    "method_not_allowed",
                    dict(exc.headers or {}),
                )
            return error_response(exc.status_code, str(exc.detail), "http_error")

        async def server_error(request: Request, exc: Exception) -> Response:
            log.exception("sandbox bug", exc_info=exc)
            return error_response(500, "Internal sandbox error", "server_error")

        return Starlette(
            routes=routes,
            lifespan=self.lifespan,
            exception_handlers={HTTPException: http_error, Exception: server_error},
        )
