"""The contract's response shapes: JSON bodies, the paginated envelope, error envelopes.

Encoding goes through one reused :class:`json.JSONEncoder` (compact separators,
UTF-8 kept as is): ``json.dumps`` with keyword arguments builds a new encoder
on every call, which is measurable at a thousand responses a second.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

log = logging.getLogger("sendbee_tui.sandbox.web")

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``content`` as a compact JSON response (what Starlette's JSONResponse sends)."""
    return Response(
        _ENCODER.encode(content).encode("utf-8"),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def page_links(request: Request, page: int, last_page: int) -> dict[str, str | None]:
    """``first``/``last``/``prev``/``next``: this URL with ``page`` replaced (absolute)."""
    url = request.url
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    prefix = f"{url.scheme}://{url.netloc}{url.path}?"
    if kept:
        prefix += urlencode(kept) + "&"

    def link(p: int) -> str:
        return f"{prefix}page={p}"

    return {
        "first": link(1),
        "last": link(last_page),
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last_page else None,
    }


def envelope_list(
    request: Request, items: list[Any], total: int, page: int, limit: int
) -> dict[str, Any]:
    """The paginated envelope: data + meta + links (absolute URLs)."""
    last_page = max(1, math.ceil(total / limit)) if limit else 1
    start = (page - 1) * limit
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
        "links": page_links(request, page, last_page),
    }


def error_response(
    status: int, detail: str, type_: str, headers: dict[str, str] | None = None, data: Any = None
) -> Response:
    """``{"error": {"detail", "type"}}`` (plus ``data`` for the rate-limit test endpoint)."""
    body: dict[str, Any] = {"error": {"detail": detail, "type": type_}}
    if data is not None:
        body["data"] = data
    return json_response(body, status, headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such path or method) in the contract's envelope."""
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
    """Anything that escaped a route: logged with its traceback, answered without one."""
    log.exception("sandbox bug", exc_info=exc)
    return error_response(500, "Internal sandbox error", "server_error")
