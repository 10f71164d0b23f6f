"""``/rate-limit/request-test`` (counts like any call) and ``.../error-test`` (always 429)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sendbee_tui.sandbox.web.context import Context, RouteSpec
from sendbee_tui.sandbox.web.envelope import error_response
from sendbee_tui.sandbox.web.params import Params


def request_test(ctx: Context, p: Params, r: Request) -> Any:
    return {
        "data": {
            "detail": "Request counted against the rate limit",
            "error": False,
            "type": "ok",
        }
    }


def error_test(ctx: Context, p: Params, r: Request) -> Any:
    detail = "Rate limit test: too many requests"
    return error_response(
        429,
        detail,
        "rate_limit_exceeded",
        {"Retry-After": "1"},
        data={"detail": detail, "error": True, "type": "rate_limit_exceeded"},
    )


ROUTES = [
    RouteSpec("GET", "/rate-limit/request-test", request_test),
    RouteSpec("GET", "/rate-limit/error-test", error_test),
]
