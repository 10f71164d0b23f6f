"""The contract's response shapes: JSON bodies, the paginated envelope, error envelopes.

Encoding goes through one reused :class:`json.JSONEncoder` (compact separators,
UTF-8 kept as is): ``json.dumps`` with keyword arguments builds a new encoder
on every call, which is measurable at a thousand responses a second. A page
whose items SQLite already rendered (:class:`JsonArray`) is spliced in as is.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import URL
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from sendbee_tui.sandbox.domain.sqljson import JsonArray

log = logging.getLogger("sendbee_tui.sandbox.web")

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def render(content: Any) -> str:
    """``content`` as compact JSON; a :class:`JsonArray` as ``data`` goes in unparsed."""
    if isinstance(content, dict) and isinstance(content.get("data"), JsonArray):
        rest = _ENCODER.encode({k: v for k, v in content.items() if k != "data"})
        data: JsonArray = content["data"]
        return '{"data":' + data.text + ("," + rest[1:] if rest != "{}" else "}")
    return _ENCODER.encode(content)


def json_response(
    content: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """``content`` as a compact JSON response (what Starlette's JSONResponse sends)."""
    return Response(
        render(content).encode("utf-8"),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


@functools.lru_cache(maxsize=256)
def _absolute_path(
    scheme: str, host: bytes | None, server: tuple[str, int] | None, path: str
) -> str:
    """``scheme://netloc/path`` exactly as Starlette reads it from a request (memoised:
    parsing the URL costs more than the rest of a small page)."""
    headers = [(b"host", host)] if host is not None else []
    url = URL(scope={"scheme": scheme, "server": server, "path": path, "headers": headers})
    return f"{url.scheme}://{url.netloc}{url.path}"


def page_links(request: Request, page: int, last_page: int) -> dict[str, str | None]:
    """``first``/``last``/``prev``/``next``: this URL with ``page`` replaced (absolute)."""
    scope = request.scope
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    server = scope.get("server")
    prefix = _absolute_path(
        scope.get("scheme", "http"), host, tuple(server) if server else None, scope["path"]
    )
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "page"]
    prefix += "?" + (urlencode(kept) + "&" if kept else "")

    def link(p: int) -> str:
        return f"{prefix}page={p}"

    return {
        "first": link(1),
        "last": link(last_page),
        "prev": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < last_page else None,
    }


def envelope_list(
    request: Request, items: list[Any] | JsonArray, total: int, page: int, limit: int
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
